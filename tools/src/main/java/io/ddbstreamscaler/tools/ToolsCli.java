package io.ddbstreamscaler.tools;

import io.ddbstreamscaler.bench.BenchCommand;
import io.ddbstreamscaler.demo.DemoCommand;
import io.ddbstreamscaler.simulator.AwsSimulatorMain;
import io.ddbstreamscaler.simulator.KubeApiSimulatorMain;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The development tools: {@code java -jar target/tools/ddbstream-scaler-tools.jar <command>}. The agent's own
 * {@code demo} and {@code bench} commands start this jar, so README's commands stay as they are while the agent's jar,
 * lib/ and image hold none of it.
 */
@Command(name = "ddbstream-scaler-tools", mixinStandardHelpOptions = true,
        description = "ddbstream-scaler's development tools: the demo, the benchmarks and the simulators on their own.",
        subcommands = {DemoCommand.class, BenchCommand.class, AwsSimulatorMain.class, KubeApiSimulatorMain.class,
                CommandLine.HelpCommand.class})
public final class ToolsCli {

    public static void main(String[] args) {
        System.exit(new CommandLine(new ToolsCli()).execute(args));
    }
}
