package io.quorate.probe.http;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * What one hop got back: the status line, the headers and at most {@code maxBodyBytes} of body.
 *
 * @param status status code
 * @param httpVersion e.g. {@code HTTP/1.1}
 * @param headers response headers
 * @param body the body read (never more than the cap)
 * @param firstByteMs request sent to response headers received
 */
record HttpAnswer(
    int status, String httpVersion, MultiMap headers, Buffer body, double firstByteMs) {}
