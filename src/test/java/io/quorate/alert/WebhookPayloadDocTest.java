package io.quorate.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quorate.api.OpenApi;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The OpenAPI {@code webhooks} section documents exactly the payload the sender builds. */
class WebhookPayloadDocTest {

  @Test
  void documentedSchemaAndExampleMatchTheStandardPayload() {
    JsonObject body =
        new JsonObject(OpenApi.document())
            .getJsonObject("webhooks")
            .getJsonObject("alertEvent")
            .getJsonObject("post")
            .getJsonObject("requestBody")
            .getJsonObject("content")
            .getJsonObject("application/json");
    JsonObject schema = body.getJsonObject("schema");
    JsonObject built = WebhookPayloads.standard(AlertFixtures.down());
    assertEquals(
        new TreeSet<>(built.fieldNames()),
        new TreeSet<>(schema.getJsonObject("properties").fieldNames()));
    assertEquals(
        new TreeSet<>(built.fieldNames()),
        new TreeSet<String>(schema.getJsonArray("required").getList()));
    assertEquals(built, body.getJsonObject("example"));
    assertEquals(
        WebhookPayloads.VERSION,
        schema.getJsonObject("properties").getJsonObject("version").getInteger("const"));
    assertEquals(
        Set.of("webhook-id", "webhook-timestamp", "webhook-signature"),
        Set.copyOf(
            new JsonObject(OpenApi.document())
                    .getJsonObject("webhooks")
                    .getJsonObject("alertEvent")
                    .getJsonObject("post")
                    .getJsonArray("parameters")
                    .stream()
                    .map(p -> ((JsonObject) p).getString("name"))
                    .toList()));
    assertEquals(
        List.of("critical", "warning", "info"),
        schema
            .getJsonObject("properties")
            .getJsonObject("severity")
            .getJsonArray("enum")
            .getList());
  }
}
