package io.quorate.probe.http;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.quorate.probe.Timings;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.impl.headers.HeadersAdaptor;
import io.vertx.core.impl.buffer.VertxByteBufAllocator;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.PromiseInternal;
import io.vertx.core.internal.VertxInternal;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.security.cert.Certificate;
import java.util.List;
import javax.net.ssl.SSLSession;

/**
 * A plain-http hop on a bare Netty channel of Vert.x's own transport, on the caller's event loop:
 * the same socket options, allocator and HTTP/1.1 codec (Netty's {@link HttpClientCodec} with the
 * Vert.x client's default line, header and chunk limits and header validation) as the Vert.x HTTP
 * client, without its connection, stream, message-queue and future layers, which were most of the
 * plain probe's CPU (issue 8 profile, docs/benchmarks.md). One request per connection; interim 1xx
 * answers other than 101 are skipped (RFC 9110 §15.2), as the Vert.x client does.
 */
final class PlainLink extends ChannelInboundHandlerAdapter implements HopLink {
  /** The Vert.x HTTP client's defaults: socket options and codec limits stay as they were. */
  private static final HttpClientOptions DEFAULTS = new HttpClientOptions();

  /**
   * The httpVersion fact exactly as the Vert.x client reports it for HTTP/1.x: "HTTP/1.1" even for
   * an HTTP/1.0 status line (measured; kept so that both paths report the same).
   */
  private static final String VERSION = "HTTP/1.1";

  private final ContextInternal context;
  private Channel channel;
  private PromiseInternal<HttpAnswer> answer;
  private Events events;
  private HttpMethod method;
  private int maxBody;
  private long sentNanos;
  private HttpResponse head;
  private boolean interim;
  private double firstByteMs;
  private Buffer body;

  private PlainLink(ContextInternal context) {
    this.context = context;
  }

  /** Connects to {@code server} (an address, never a name) within {@code timeoutMs}. */
  static Future<HopLink> connect(VertxInternal vertx, InetSocketAddress server, long timeoutMs) {
    ContextInternal context = vertx.getOrCreateContext();
    PlainLink link = new PlainLink(context);
    Bootstrap b =
        new Bootstrap()
            .group(context.nettyEventLoop())
            .channelFactory(vertx.transport().channelFactory(false))
            .option(ChannelOption.ALLOCATOR, VertxByteBufAllocator.POOLED_ALLOCATOR)
            .disableResolver()
            .handler(link);
    vertx.transport().configure(DEFAULTS, (int) Math.min(Integer.MAX_VALUE, timeoutMs), false, b);
    PromiseInternal<HopLink> connected = context.promise();
    link.channel =
        b.connect(server)
            .addListener(
                f -> {
                  if (f.isSuccess()) {
                    connected.tryComplete(link);
                  } else {
                    connected.tryFail(f.cause());
                  }
                })
            .channel();
    return connected.future();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    ctx.pipeline()
        .addBefore(
            ctx.name(),
            "codec",
            new HttpClientCodec(
                DEFAULTS.getMaxInitialLineLength(),
                DEFAULTS.getMaxHeaderSize(),
                DEFAULTS.getMaxChunkSize(),
                false,
                true,
                DEFAULTS.getDecoderInitialBufferSize()));
  }

  @Override
  public String peerHost() {
    return channel.remoteAddress() instanceof InetSocketAddress a
        ? a.getAddress().getHostAddress()
        : null;
  }

  @Override
  public List<Certificate> peerChain() {
    return List.of();
  }

  @Override
  public SSLSession sslSession() {
    return null;
  }

  @Override
  public Future<HttpAnswer> exchange(
      HttpMethod method, String path, HttpHeaders headers, int maxBody, Events events) {
    this.answer = context.promise();
    this.events = events;
    this.method = method;
    this.maxBody = maxBody;
    headers.set(HttpHeaderNames.CONNECTION, "close"); // as the Vert.x client without keep-alive
    var request =
        new DefaultFullHttpRequest(
            HttpVersion.HTTP_1_1,
            io.netty.handler.codec.http.HttpMethod.valueOf(method.name()),
            path,
            Unpooled.EMPTY_BUFFER,
            headers,
            EmptyHttpHeaders.INSTANCE);
    sentNanos = System.nanoTime();
    channel
        .writeAndFlush(request)
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                answer.tryFail(f.cause());
              }
            });
    return answer.future();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (answer == null || answer.future().isComplete()) {
        return;
      }
      if (msg instanceof HttpResponse r && !onHead(r)) {
        return;
      }
      if (msg instanceof HttpContent c && !interim) {
        onContent(c);
      } else if (msg instanceof LastHttpContent) {
        interim = false; // the end of an interim answer: the next head is the real one
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  /** Takes a head; false when the answer has ended (failed, or complete without a body). */
  private boolean onHead(HttpResponse r) {
    if (r.decoderResult().isFailure()) {
      answer.tryFail(r.decoderResult().cause());
      return false;
    }
    int status = r.status().code();
    if (status / 100 == 1 && status != 101) {
      interim = true;
      return true;
    }
    head = r;
    firstByteMs = Timings.millisBetween(sentNanos, System.nanoTime());
    events.head(status, VERSION, firstByteMs);
    if (CappedBody.hasNoBody(method, status)) {
      complete(Buffer.buffer());
      return false;
    }
    HttpProbeException tooBig =
        CappedBody.announcedTooBig(
            r.headers().get(HttpHeaderNames.CONTENT_LENGTH), maxBody, events::bodyBytes);
    if (tooBig != null) {
      answer.tryFail(tooBig);
      return false;
    }
    body = Buffer.buffer();
    return true;
  }

  private void onContent(HttpContent c) {
    if (c.decoderResult().isFailure()) {
      answer.tryFail(c.decoderResult().cause());
      return;
    }
    ByteBuf bytes = c.content();
    if (bytes.isReadable()) {
      long total = (long) body.length() + bytes.readableBytes();
      events.bodyBytes(total);
      if (total > maxBody) {
        answer.tryFail(CappedBody.tooBig(maxBody));
        return;
      }
      byte[] chunk = new byte[bytes.readableBytes()];
      bytes.readBytes(chunk);
      body.appendBytes(chunk);
    }
    if (c instanceof LastHttpContent) {
      complete(body);
    }
  }

  private void complete(Buffer b) {
    answer.tryComplete(
        new HttpAnswer(
            head.status().code(), VERSION, new HeadersAdaptor(head.headers()), b, firstByteMs));
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (answer != null) {
      answer.tryFail(new ClosedChannelException());
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (answer != null) {
      answer.tryFail(cause);
    }
  }

  /** Whether the channel is still open (for tests). */
  boolean isOpen() {
    return channel.isOpen();
  }

  @Override
  public Future<Void> close() {
    if (!channel.isOpen()) {
      return Future.succeededFuture();
    }
    PromiseInternal<Void> closed = context.promise();
    channel.close().addListener(closed);
    return closed.future().recover(e -> Future.succeededFuture());
  }
}
