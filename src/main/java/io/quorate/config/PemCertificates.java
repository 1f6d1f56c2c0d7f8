package io.quorate.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;

/** Checks that a file is a PEM bundle of X.509 certificates, as a {@code caFile} must be. */
final class PemCertificates {
  /**
   * Larger files are refused: a CA bundle (the whole Mozilla store is ~220 KB) is never this big.
   */
  static final long MAX_BYTES = 4L * 1024 * 1024;

  private static final String NONE =
      "holds no PEM certificate (expected -----BEGIN CERTIFICATE-----)";

  private PemCertificates() {}

  /**
   * Why {@code file} cannot serve as trust anchors (a phrase to follow the file name), or {@code
   * null} when it holds at least one certificate and parses whole.
   */
  static String problem(Path file) {
    try {
      if (Files.size(file) > MAX_BYTES) {
        return "is larger than " + MAX_BYTES / (1024 * 1024) + " MB; expected a PEM CA bundle";
      }
      try (InputStream in = Files.newInputStream(file)) {
        int n = CertificateFactory.getInstance("X.509").generateCertificates(in).size();
        return n > 0 ? null : NONE;
      }
    } catch (CertificateException e) {
      String why = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
      return "No certificate data found".equals(why)
          ? NONE
          : "is not a PEM certificate bundle (" + why + ")";
    } catch (IOException e) {
      return "cannot be read: " + e.getMessage();
    }
  }
}
