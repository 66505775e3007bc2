package io.ddbstreamscaler.keda;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A CA, a server certificate for 127.0.0.1 and localhost (what KEDA's operator dials here) and a client certificate,
 * made with openssl as scripts/cluster/lib.sh makes the cluster's: EC P-256, keys in unencrypted PKCS#8 (what the
 * agent's --grpc-tls-key reads, and what cert-manager writes with privateKey.encoding: PKCS8).
 */
final class TestCertificates {

    final Path dir;

    private TestCertificates(Path dir) {
        this.dir = dir;
    }

    static TestCertificates make(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        TestCertificates c = new TestCertificates(dir);
        c.openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "ca.key");
        c.openssl("req", "-x509", "-new", "-key", "ca.key", "-days", "2", "-subj", "/CN=ddbss-keda-tests-ca",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                "-out", "ca.crt");
        c.issue("server", "/CN=ddbstream-scaler", "serverAuth",
                "IP:127.0.0.1,DNS:localhost,DNS:ddbstream-scaler.keda-test.svc,DNS:ddbstream-scaler.keda-test.svc.cluster.local");
        c.issue("client", "/CN=keda-operator", "clientAuth", null);
        return c;
    }

    private void issue(String name, String subject, String usage, String san) throws IOException, InterruptedException {
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", name + ".key");
        openssl("req", "-new", "-key", name + ".key", "-subj", subject, "-out", name + ".csr");
        String ext = "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=" + usage
                + "\n" + (san == null ? "" : "subjectAltName=" + san + "\n");
        Files.writeString(dir.resolve(name + ".ext"), ext);
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "2", "-extfile", name + ".ext", "-out", name + ".crt");
    }

    Path file(String name) {
        return dir.resolve(name);
    }

    String read(String name) throws IOException {
        return Files.readString(file(name));
    }

    private void openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed:\n" + out);
        }
    }
}
