package io.quorate.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The loopback lab the example configuration points at, for trying Quorate by hand: BIND 9 on
 * 127.0.0.1:5353 serving {@code example.test} (TSIG key {@code lab-update}, updates allowed), and
 * one nginx per round-robin member on 127.0.0.11–14:8480. Prints every PID so a member can be
 * killed; Ctrl-C stops everything it started. Needs root (named runs as user bind) and the lab
 * packages ({@code bash .ci/install-packages}).
 *
 * <pre>
 * mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) io.quorate.testsupport.ExampleLab
 * </pre>
 */
public final class ExampleLab {
  private ExampleLab() {}

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("quorate-example-lab");
    List<AutoCloseable> started = new ArrayList<>();
    Bind9Lab bind =
        Bind9Lab.start(Bind9Conf.primary("example.test"), Bind9Lab.exampleZone(1, ""), 5353);
    started.add(bind);
    System.out.printf(
        "BIND 9    127.0.0.1:5353  pid %d  (dig @127.0.0.1 -p 5353 rr.example.test)%n", bind.pid());
    for (int i = 1; i <= 4; i++) {
      String host = "127.0.0." + (10 + i);
      NginxMember m = NginxMember.start(dir.resolve("web-" + i), host, 8480);
      started.add(m);
      System.out.printf(
          "web-%d     %s:8480  pid %d  (kill %d to take it down)%n", i, host, m.pid(), m.pid());
    }
    CountDownLatch done = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  for (int i = started.size() - 1; i >= 0; i--) {
                    try {
                      started.get(i).close();
                    } catch (Exception e) {
                      // stopping anyway
                    }
                  }
                  done.countDown();
                },
                "lab-stop"));
    System.out.println("lab running; Ctrl-C stops it");
    done.await();
  }
}
