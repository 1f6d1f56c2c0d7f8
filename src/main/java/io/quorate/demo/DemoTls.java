package io.quorate.demo;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The demo's public TLS material, shipped in the jar under {@code demo/tls/} (see the README there
 * for how it was made): a demo CA and one leaf certificate whose names cover every demo member.
 * These keys are published on purpose and protect nothing.
 *
 * <pre>
 * DemoTls tls = DemoTls.load();                    // reads the jar: call at start-up
 * DemoTls.PemFiles files = tls.writeTo(dir);          // ca.pem for TlsPolicy.caFile
 * ServerSSLOptions server = tls.serverOptions();   // for upgradeToSsl on the demo servers
 * </pre>
 */
public final class DemoTls {
  /** Where the files live on the class path. */
  public static final String RESOURCE_DIR = "demo/tls/";

  public static final String CA_FILE = "ca.pem";
  public static final String CERT_FILE = "mail.pem";
  public static final String KEY_FILE = "mail-key.pem";

  /** The DNS names in the leaf certificate (it also holds IP SANs, see {@link #IP_NAMES}). */
  public static final List<String> DNS_NAMES =
      List.of(
          "mail.demo.test",
          "mail1.demo.test",
          "mail2.demo.test",
          "www.demo.test",
          "*.demo.test",
          "localhost");

  /** The IP addresses in the leaf certificate: 127.0.0.1 and the default member addresses. */
  public static final List<String> IP_NAMES =
      List.of("127.0.0.1", "127.0.0.21", "127.0.0.22", "127.0.0.23", "127.0.0.31", "127.0.0.32");

  /** Largest file accepted from the class path (the real ones are below 1 KiB). */
  private static final int MAX_FILE_BYTES = 64 * 1024;

  private final Buffer caPem;
  private final Buffer certPem;
  private final Buffer keyPem;

  /** Paths of the files written by {@link #writeTo}. */
  public record PemFiles(Path caFile, Path certFile, Path keyFile) {}

  private DemoTls(Buffer caPem, Buffer certPem, Buffer keyPem) {
    this.caPem = caPem;
    this.certPem = certPem;
    this.keyPem = keyPem;
  }

  /**
   * Reads the three PEM files from the class path. Blocking (it reads the jar): call it from a
   * thread that may block, never from an event loop.
   *
   * @throws UncheckedIOException if a file is missing or unreadable (a broken build)
   */
  public static DemoTls load() {
    return new DemoTls(resource(CA_FILE), resource(CERT_FILE), resource(KEY_FILE));
  }

  public Buffer caPem() {
    return caPem.copy();
  }

  public Buffer certPem() {
    return certPem.copy();
  }

  public Buffer keyPem() {
    return keyPem.copy();
  }

  /** The server's key and certificate, from memory (no file needed). */
  public PemKeyCertOptions keyCertOptions() {
    return new PemKeyCertOptions().setCertValue(certPem.copy()).setKeyValue(keyPem.copy());
  }

  /** Server TLS options for the demo servers: TLS 1.2 and 1.3 only, no client certificates. */
  public ServerSSLOptions serverOptions() {
    return new ServerSSLOptions()
        .setKeyCertOptions(keyCertOptions())
        .setEnabledSecureTransportProtocols(Set.of("TLSv1.2", "TLSv1.3"));
  }

  /**
   * Writes {@code ca.pem}, {@code mail.pem} and {@code mail-key.pem} into {@code dir} (created if
   * needed, existing files replaced). Blocking: call it at start-up, not on an event loop.
   */
  public PemFiles writeTo(Path dir) throws IOException {
    Files.createDirectories(dir);
    PemFiles out =
        new PemFiles(dir.resolve(CA_FILE), dir.resolve(CERT_FILE), dir.resolve(KEY_FILE));
    Files.write(out.caFile(), caPem.getBytes());
    Files.write(out.certFile(), certPem.getBytes());
    Files.write(out.keyFile(), keyPem.getBytes());
    return out;
  }

  private static Buffer resource(String name) {
    String path = RESOURCE_DIR + name;
    try (InputStream in = DemoTls.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new UncheckedIOException(new IOException("missing class path resource " + path));
      }
      byte[] bytes = in.readNBytes(MAX_FILE_BYTES + 1);
      if (bytes.length > MAX_FILE_BYTES) {
        throw new UncheckedIOException(new IOException(path + " is larger than expected"));
      }
      return Buffer.buffer(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read class path resource " + path, e);
    }
  }
}
