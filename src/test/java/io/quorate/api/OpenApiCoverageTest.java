package io.quorate.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.Agent;
import io.quorate.config.ConfigLoader;
import io.quorate.config.LoadedConfig;
import io.quorate.metrics.Registries;
import io.quorate.testsupport.ExampleEnv;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Every route the agent serves is documented, and every documented route exists. */
class OpenApiCoverageTest {

  @Test
  void documentAndRouterAgree() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      LoadedConfig cfg =
          new ConfigLoader(ExampleEnv.with(Map.of())::get)
              .load(Path.of("conf/quorate.yaml"), Path.of("regions/eu-west.yaml"));
      Router router = Agent.standard(vertx, cfg, Registries.prometheus()).router();
      Set<String> served = new TreeSet<>();
      served.addAll(io.quorate.testsupport.Routes.of(router));
      Set<String> documented = new TreeSet<>();
      JsonObject paths = new JsonObject(OpenApi.document()).getJsonObject("paths");
      for (String p : paths.fieldNames()) {
        for (String m : paths.getJsonObject(p).fieldNames()) {
          // routes only `quorate demo` mounts are checked by DemoApiTest
          if (!paths.getJsonObject(p).getJsonObject(m).getBoolean("x-demo-only", false)) {
            documented.add(m.toUpperCase(Locale.ROOT) + " " + p);
          }
        }
      }
      assertEquals(documented, served);
      assertTrue(served.size() >= 13, "the walk found the routes: " + served);
      assertEquals("3.1.0", new JsonObject(OpenApi.document()).getString("openapi"));
    } finally {
      vertx.close();
    }
  }
}
