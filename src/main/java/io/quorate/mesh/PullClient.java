package io.quorate.mesh;

import io.quorate.mesh.MeshTransport.MeshSendException;
import io.quorate.mesh.MeshTransport.Reply;
import io.quorate.quorum.Vote;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.function.Consumer;

/**
 * Catch-up pulls: {@code GET /api/v1/mesh/observations?since=&nonce=}, signed over {@code
 * GET\n<path?query>\n<date>}; the response must be signed by the peer and echo the nonce. Follows
 * {@code more} pages up to {@link MeshTuning#pullPagesMax()}. Used on the mesh verticle's context.
 */
final class PullClient {
  private final Identity self;
  private final MeshTransport transport;
  private final MeshTuning tuning;
  private final MeshCodec codec = new MeshCodec();
  private final SecureRandom random = new SecureRandom();

  /** What one catch-up delivered. */
  record Pulled(int votes, int pages, long lastObsSeq) {}

  PullClient(Identity self, MeshTransport transport, MeshTuning tuning) {
    this.self = self;
    this.transport = transport;
    this.tuning = tuning;
  }

  /** Pulls {@code peer}'s votes with obsSeq above {@code since}, giving each to {@code sink}. */
  Future<Pulled> pull(PeerLink peer, long since, Consumer<Vote> sink) {
    return page(peer, since, sink, new Pulled(0, 0, since));
  }

  private Future<Pulled> page(PeerLink peer, long since, Consumer<Vote> sink, Pulled sofar) {
    String nonce = nonce();
    String pathAndQuery = PeerSender.PATH + "?since=" + since + "&nonce=" + nonce;
    String date = self.clock.instant().toString();
    RequestOptions req =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setAbsoluteURI(peer.url() + pathAndQuery)
            .putHeader(MeshTransport.REGION, self.region)
            .putHeader(MeshTransport.DATE, date)
            .putHeader(
                MeshTransport.SIGNATURE,
                self.signer.sign(MeshSigner.requestBytes("GET", pathAndQuery, date)));
    return transport
        .exchange(req, null)
        .compose(reply -> verify(peer, nonce, reply))
        .compose(
            page -> {
              long last = since;
              for (Vote v : page.votes()) {
                sink.accept(v);
                last = Math.max(last, v.obsSeq());
              }
              Pulled now = new Pulled(sofar.votes() + page.votes().size(), sofar.pages() + 1, last);
              boolean more = page.more() && last > since && now.pages() < tuning.pullPagesMax();
              return more ? page(peer, last, sink, now) : Future.succeededFuture(now);
            });
  }

  private Future<MeshCodec.PullPage> verify(PeerLink peer, String nonce, Reply r) {
    if (r.status() != 200) {
      return Future.failedFuture(new MeshSendException("pull refused: HTTP " + r.status()));
    }
    if (!peer.region().equals(r.region()) || !peer.verifier().verify(r.body(), r.signature())) {
      return Future.failedFuture(new MeshSendException("pull response not signed by the peer"));
    }
    try {
      MeshCodec.PullPage p = codec.decodePull(r.body(), self.clock.instant());
      if (!p.region().equals(peer.region()) || !p.nonce().equals(nonce)) {
        return Future.failedFuture(new MeshSendException("pull response does not echo the nonce"));
      }
      return Future.succeededFuture(p);
    } catch (MeshRejection e) {
      return Future.failedFuture(new MeshSendException("bad pull response: " + e.detail()));
    }
  }

  private String nonce() {
    byte[] b = new byte[18];
    random.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
