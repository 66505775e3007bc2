package io.ddbstreamscaler.simulator;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the Kubernetes API simulator on its own, so {@code run --once --kubeconfig ...} and kubectl can be tried with no
 * cluster: {@code java -jar target/tools/ddbstream-scaler-tools.jar kube-simulator
 * --deployment keda-test/nginx-deployment=1 --kubeconfig /tmp/kubeconfig}.
 */
@Command(name = "kube-simulator", mixinStandardHelpOptions = true,
        description = "An embedded Kubernetes API (fabric8 mock, CRUD mode, real /scale) on 127.0.0.1.")
public final class KubeApiSimulatorMain implements Callable<Integer> {

    @Option(names = "--deployment", description = "NAMESPACE/NAME=REPLICAS: a Deployment to create (repeatable).")
    Map<String, Integer> deployments = new LinkedHashMap<>();

    @Option(names = "--kubeconfig", required = true, description = "Where to write a kubeconfig pointing at it.")
    Path kubeconfig;

    @Option(names = "--namespace", defaultValue = "default", description = "The kubeconfig's namespace.")
    String namespace;

    public static void main(String[] args) {
        int code = new CommandLine(new KubeApiSimulatorMain()).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        KubeApiSimulator sim = KubeApiSimulator.start();
        deployments.forEach((id, replicas) -> {
            String[] nsName = id.split("/", 2);
            sim.createDeployment(nsName[0], nsName[1], replicas, Map.of("app", nsName[1]));
        });
        sim.writeKubeconfig(kubeconfig, namespace);
        System.out.println("Kubernetes API simulator at " + sim.url() + "; kubeconfig written to " + kubeconfig);
        System.out.println("  kubectl --kubeconfig " + kubeconfig + " get deployments -A");
        System.out.flush();
        new CountDownLatch(1).await();
        return 0;
    }
}
