package io.quorate.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

/** Free loopback ports and readiness waits for lab servers. Never a fixed port. */
public final class Ports {
  private Ports() {}

  /** A port that is free for both TCP and UDP on 127.0.0.1 right now. */
  public static int free() {
    for (int attempt = 0; attempt < 50; attempt++) {
      try (ServerSocket tcp = new ServerSocket()) {
        tcp.setReuseAddress(false);
        tcp.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        int port = tcp.getLocalPort();
        try (DatagramSocket udp =
            new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
          return port;
        } catch (IOException udpBusy) {
          // try another
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    throw new IllegalStateException("no free loopback port found for TCP+UDP");
  }

  /**
   * Waits until something accepts TCP connections on 127.0.0.1:{@code port}, or fails after {@code
   * limit}. Polls with short connects (this is test-support code on the test thread, not an event
   * loop).
   */
  /**
   * The first of {@code n} consecutive ports free for TCP and UDP on loopback (the demo's regions
   * use a base port and the next ones), chosen BELOW the kernel's ephemeral range (32768+): a port
   * handed out by {@link #free()} can be taken as the local port of an outgoing connection or a DNS
   * probe's UDP socket before the server that should use it binds, which a test that starts several
   * servers one after the other, while earlier ones already probe, does hit.
   */
  public static int freeRange(int n) {
    java.util.SplittableRandom random = new java.util.SplittableRandom();
    for (int attempt = 0; attempt < 200; attempt++) {
      int base = 20_000 + random.nextInt(12_000 - n);
      boolean ok = true;
      for (int i = 0; i < n && ok; i++) {
        ok = isFree(base + i);
      }
      if (ok) {
        return base;
      }
    }
    throw new IllegalStateException("no " + n + " consecutive free ports");
  }

  private static boolean isFree(int port) {
    try (ServerSocket tcp = new ServerSocket()) {
      tcp.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      try (DatagramSocket udp =
          new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
        return true;
      }
    } catch (IOException e) {
      return false;
    }
  }

  public static void awaitTcp(int port, Duration limit, ProcessHandle owner) {
    awaitTcp("127.0.0.1", port, limit, owner);
  }

  /** Like {@link #awaitTcp(int, Duration, ProcessHandle)} on another loopback address. */
  public static void awaitTcp(String host, int port, Duration limit, ProcessHandle owner) {
    long deadline = System.nanoTime() + limit.toNanos();
    IOException last = null;
    while (System.nanoTime() < deadline) {
      if (owner != null && !owner.isAlive()) {
        throw new IllegalStateException(
            "process " + owner.pid() + " exited before port " + port + " opened");
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.getByName(host), port), 200);
        return;
      } catch (IOException e) {
        last = e;
        try {
          Thread.sleep(20); // polling a child process's readiness, not synchronising our own code
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(ie);
        }
      }
    }
    throw new IllegalStateException("port " + port + " not open after " + limit, last);
  }

  /**
   * Waits until a child daemon has created {@code path} (e.g. a UNIX socket), or fails after {@code
   * limit}; polls like {@link #awaitTcp}.
   */
  public static void awaitPath(java.nio.file.Path path, Duration limit, ProcessHandle owner) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      if (java.nio.file.Files.exists(path)) {
        return;
      }
      if (owner != null && !owner.isAlive()) {
        throw new IllegalStateException(
            "process " + owner.pid() + " exited before " + path + " appeared");
      }
      try {
        Thread.sleep(20); // polling a child process's readiness, not synchronising our own code
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(ie);
      }
    }
    throw new IllegalStateException(path + " did not appear within " + limit);
  }
}
