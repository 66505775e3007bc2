package io.ddbstreamscaler.camel;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command line: {@code java -jar ddbstream-scaler.jar <command>}. */
@Command(name = "ddbstream-scaler", mixinStandardHelpOptions = true,
        versionProvider = ScalerCli.Version.class,
        description = "A KEDA-compatible DynamoDB Streams autoscaler for Kubernetes, built on Apache Camel.",
        subcommands = {CommandLine.HelpCommand.class, ValidateCommand.class, CheckCommand.class, SimulateCommand.class,
                BenchCommand.class})
public final class ScalerCli {

    public static void main(String[] args) {
        System.exit(new CommandLine(new ScalerCli()).execute(args));
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = ScalerCli.class.getPackage().getImplementationVersion();
            return new String[] {"ddbstream-scaler " + (v == null ? "dev" : v)};
        }
    }
}
