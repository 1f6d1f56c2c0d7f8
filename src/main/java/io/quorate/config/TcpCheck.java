package io.quorate.config;

/**
 * A TCP connect, optionally reading a banner (MySQL, SSH, any greeting protocol).
 *
 * @param expectBanner regular expression the first line must match ({@code find}); {@code null} =
 *     connect only
 * @param send text sent after connect (and after the banner, if expected), {@code \r\n} not added
 * @param tls implicit TLS on connect with this policy; {@code null} = plaintext
 */
public record TcpCheck(String expectBanner, String send, TlsPolicy tls) implements Check {}
