package io.ddbstreamscaler.cli;

import picocli.CommandLine;

import java.util.List;
import picocli.CommandLine.Command;

/** The command line: {@code java -jar ddbstream-scaler.jar <command>}. */
@Command(name = "ddbstream-scaler", mixinStandardHelpOptions = true,
        versionProvider = ScalerCli.Version.class,
        description = "A KEDA-compatible DynamoDB Streams autoscaler for Kubernetes, built on Apache Camel.",
        subcommands = {RunCommand.class, ToolLauncher.Demo.class, ValidateCommand.class, CheckCommand.class,
                SimulateCommand.class, ToolLauncher.Bench.class, StatusCommand.class, CommandLine.HelpCommand.class})
public final class ScalerCli {

    public static void main(String[] args) {
        chooseLogFormat(System.getenv("SCALER_LOG_FORMAT"));
        System.exit(new CommandLine(new ScalerCli()).execute(withDefaultCommand(args)));
    }

    /** {@code run} is the default command: no command word, or only run's options, means run. */
    static String[] withDefaultCommand(String[] args) {
        boolean topLevelOption = args.length > 0 && List.of("-h", "--help", "-V", "--version").contains(args[0]);
        if (args.length == 0 || (args[0].startsWith("-") && !topLevelOption)) {
            String[] withRun = new String[args.length + 1];
            withRun[0] = "run";
            System.arraycopy(args, 0, withRun, 1, args.length);
            return withRun;
        }
        return args;
    }

    /** SCALER_LOG_FORMAT=json: one JSON object per log line (logback's JsonEncoder); read before the first log line. */
    static void chooseLogFormat(String format) {
        if ("json".equalsIgnoreCase(format) && System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "logback-json.xml");
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = ScalerCli.class.getPackage().getImplementationVersion();
            return new String[] {"ddbstream-scaler " + (v == null ? "dev" : v)};
        }
    }
}
