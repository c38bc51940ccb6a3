package io.schemagate.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The CPU time a process has used so far, user and system, as the kernel accounts it in /proc. */
final class ProcessCpu {
    /**
     * utime and stime, in clock ticks: fields 14 and 15 of /proc/[pid]/stat, counted here from
     * field 3, the first after the command name.
     */
    private static final int UTIME = 14 - 3;

    private static final int STIME = 15 - 3;

    private ProcessCpu() {}

    static double seconds(long pid) throws IOException, InterruptedException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        // The command name, in parentheses, may hold spaces: fields are counted after it.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ", -1);
        long ticks = Long.parseLong(fields[UTIME]) + Long.parseLong(fields[STIME]);
        return ticks / (double) ticksPerSecond();
    }

    private static long ticksPerSecond() throws IOException, InterruptedException {
        Process getconf = new ProcessBuilder("getconf", "CLK_TCK")
                .redirectErrorStream(true)
                .start();
        String output = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (getconf.waitFor() != 0) {
            throw new IllegalStateException("getconf CLK_TCK failed: " + output);
        }
        return Long.parseLong(output);
    }
}
