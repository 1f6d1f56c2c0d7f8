package io.quorate.mesh;

import static io.quorate.mesh.MeshNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.config.Secret;
import io.quorate.probe.Outcome;
import io.quorate.quorum.Status;
import io.quorate.quorum.Vote;
import io.quorate.testsupport.Ports;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The mesh router over real HTTP, mounted before a 64 KiB global body handler: a client plays
 * us-east against an eu-west agent (its other peers are absent, which the agent tolerates).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MeshRouterTest {
  static final String PATH = "/api/v1/mesh/observations";
  MeshNode.Topology topo;
  MeshNode eu;
  WebClient client;
  Secret usKey;
  MeshSigner us;
  MeshSigner euVerifier;
  long seq = Clock.systemUTC().millis() * 1000;

  @BeforeAll
  void start() throws Exception {
    topo =
        MeshNode.Topology.of(
            new int[] {Ports.free(), Ports.free(), Ports.free()},
            "eu-west",
            "us-east",
            "ap-southeast");
    eu = await(new MeshNode(topo, "eu-west", Clock.systemUTC()).start());
    client = WebClient.create(eu.vertx);
    usKey = topo.keys().get("us-east");
    us = new MeshSigner(usKey);
    euVerifier = new MeshSigner(topo.keys().get("eu-west"));
    List<Vote> own = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      own.add(eu.vote("own-" + i, i, Status.UP));
    }
    eu.mesh.publish(own);
  }

  @AfterAll
  void stop() throws Exception {
    await(eu.close());
  }

  Buffer message(long seq, int votes) {
    List<Vote> vs = new ArrayList<>();
    for (int i = 0; i < votes; i++) {
      vs.add(
          new Vote(
              "us-east",
              "t-" + i,
              Status.DOWN,
              null,
              seq + i,
              Instant.now(),
              Outcome.DOWN,
              null,
              "d".repeat(MeshCodec.MAX_DETAIL)));
    }
    return new MeshCodec()
        .encode(new MeshMessage("us-east", seq, Instant.now(), MeshNode.HASH, vs));
  }

  HttpResponse<Buffer> post(Buffer body, String signature) throws Exception {
    return await(
        client
            .post(eu.port, "127.0.0.1", PATH)
            .putHeader("X-Quorate-Region", "us-east")
            .putHeader("X-Quorate-Signature", signature)
            .sendBuffer(body));
  }

  HttpResponse<Buffer> get(String pathAndQuery, MultiMap headers) throws Exception {
    return await(client.get(eu.port, "127.0.0.1", pathAndQuery).putHeaders(headers).send());
  }

  MultiMap signedGet(String pathAndQuery) {
    String date = Instant.now().toString();
    return MultiMap.caseInsensitiveMultiMap()
        .add("X-Quorate-Region", "us-east")
        .add("X-Quorate-Date", date)
        .add("X-Quorate-Signature", us.sign(MeshSigner.requestBytes("GET", pathAndQuery, date)));
  }

  void assertSignedByEu(HttpResponse<Buffer> r) {
    assertEquals("eu-west", r.getHeader("X-Quorate-Region"));
    assertTrue(euVerifier.verify(r.body(), r.getHeader("X-Quorate-Signature")));
  }

  static void assertProblem(HttpResponse<Buffer> r, int status, String reason) {
    assertEquals(status, r.statusCode(), r.bodyAsString());
    assertEquals("application/problem+json", r.getHeader("Content-Type"));
    JsonObject p = r.bodyAsJsonObject();
    assertEquals(status, p.getInteger("status"));
    assertEquals(reason, p.getString("reason"));
    assertEquals("https://quorate.io/problems/mesh-" + reason, p.getString("type"));
  }

  @Test
  void aSignedPushAbove64KibIsAcceptedAndAckedWithASignedReceipt() throws Exception {
    long s = ++seq;
    Buffer body = message(s, 600);
    assertTrue(body.length() > 64 * 1024, "bigger than the API's global body limit");
    HttpResponse<Buffer> r = post(body, us.sign(body));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertSignedByEu(r);
    MeshCodec.Ack ack = new MeshCodec().decodeAck(r.body());
    assertEquals(s, ack.seq());
    assertEquals("eu-west", ack.region());
    MeshNode.eventually(
        eu.vertx,
        "votes delivered",
        java.time.Duration.ofSeconds(5),
        () -> eu.received.containsKey("us-east/t-599"));
  }

  @Test
  void aReplayedPushIsRefusedWithASignedProblemCarryingTheReceiptTime() throws Exception {
    Buffer body = message(++seq, 1);
    assertEquals(200, post(body, us.sign(body)).statusCode());
    HttpResponse<Buffer> r = post(body, us.sign(body));
    assertProblem(r, 409, "replay");
    assertSignedByEu(r);
    assertNotNull(Instant.parse(r.bodyAsJsonObject().getString("receivedAt")));
  }

  @Test
  void aBadSignatureIsRefusedUnsigned() throws Exception {
    Buffer body = message(++seq, 1);
    HttpResponse<Buffer> r = post(body, new MeshSigner(topo.keys().get("ap-southeast")).sign(body));
    assertProblem(r, 401, "bad-signature");
    assertNull(r.getHeader("X-Quorate-Signature"));
    assertFalse(r.bodyAsJsonObject().containsKey("receivedAt"));
  }

  @Test
  void aPushAbove1MibIsRefusedAsTooLargeAndCounted() throws Exception {
    long before = eu.mesh.peers().get(0).rejected().get("too-large");
    Buffer body = Buffer.buffer(new byte[MeshCodec.MAX_BODY_BYTES + 1]);
    HttpResponse<Buffer> r = post(body, us.sign(body));
    assertProblem(r, 413, "too-large");
    assertEquals(before + 1, eu.mesh.peers().get(0).rejected().get("too-large"));
  }

  @Test
  void anUnsignedPullIsRefusedAsUnknownRegion() throws Exception {
    HttpResponse<Buffer> r =
        get(PATH + "?since=0&nonce=abcdefghijklmnop", MultiMap.caseInsensitiveMultiMap());
    assertProblem(r, 401, "unknown-region");
  }

  @Test
  void aPullSignedForAnotherQueryIsRefused() throws Exception {
    MultiMap h = signedGet(PATH + "?since=0&nonce=abcdefghijklmnop");
    HttpResponse<Buffer> r = get(PATH + "?since=0&nonce=abcdefghijklmnoq", h);
    assertProblem(r, 401, "bad-signature");
  }

  @Test
  void aSignedPullReturnsNewerOwnVotesSignedAndEchoesTheNonce() throws Exception {
    String q = PATH + "?since=1&nonce=abcdefghijklmnop";
    HttpResponse<Buffer> r = get(q, signedGet(q));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertSignedByEu(r);
    MeshCodec.PullPage page = new MeshCodec().decodePull(r.body(), Instant.now());
    assertEquals("abcdefghijklmnop", page.nonce());
    assertEquals(List.of("own-2", "own-3"), page.votes().stream().map(Vote::targetId).toList());
    assertFalse(page.more());
  }

  @Test
  void aSignedPullWithABadNonceIsABadRequest() throws Exception {
    String q = PATH + "?since=0&nonce=short";
    HttpResponse<Buffer> r = get(q, signedGet(q));
    assertEquals(400, r.statusCode());
    assertEquals("application/problem+json", r.getHeader("Content-Type"));
  }

  @Test
  void unknownMeshPathsAreProblems() throws Exception {
    HttpResponse<Buffer> r = get("/api/v1/mesh/nothing", MultiMap.caseInsensitiveMultiMap());
    assertEquals(404, r.statusCode());
    assertEquals("application/problem+json", r.getHeader("Content-Type"));
  }
}
