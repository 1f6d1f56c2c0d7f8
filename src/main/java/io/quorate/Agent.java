package io.quorate;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.quorate.agent.QuorumService;
import io.quorate.api.ApiRouter;
import io.quorate.api.ApiVerticle;
import io.quorate.api.AuditResource;
import io.quorate.api.BearerAuth;
import io.quorate.api.EventsResource;
import io.quorate.api.HealthResource;
import io.quorate.api.HeartbeatsResource;
import io.quorate.api.ObservationsResource;
import io.quorate.api.PoolsResource;
import io.quorate.api.RegionsResource;
import io.quorate.api.TargetsResource;
import io.quorate.api.VerdictViews;
import io.quorate.api.VerdictsResource;
import io.quorate.config.LoadedConfig;
import io.quorate.config.QuorateConfig;
import io.quorate.config.RegionConfig;
import io.quorate.config.Target;
import io.quorate.dns.DnsProvider;
import io.quorate.dns.EmbeddedProvider;
import io.quorate.dns.Rfc2136Provider;
import io.quorate.dns.ZoneProviders;
import io.quorate.dns.auth.AuthMetrics;
import io.quorate.dns.auth.AuthoritativeServer;
import io.quorate.dns.auth.ZoneStore;
import io.quorate.failover.FailoverExecutor;
import io.quorate.failover.FailoverMetrics;
import io.quorate.mesh.Mesh;
import io.quorate.mesh.MeshMetrics;
import io.quorate.metrics.ProbeMetrics;
import io.quorate.metrics.QuorumMetrics;
import io.quorate.probe.ProbeContext;
import io.quorate.probe.ProbeRegistry;
import io.quorate.probe.ProbeResult;
import io.quorate.probe.Probes;
import io.quorate.probe.heartbeat.HeartbeatBook;
import io.quorate.probe.tls.TlsVerifier;
import io.quorate.quorum.ActionGate;
import io.quorate.quorum.LocalStates;
import io.quorate.quorum.Observation;
import io.quorate.quorum.TargetStatus;
import io.quorate.quorum.Verdict;
import io.quorate.quorum.VerdictChange;
import io.quorate.quorum.Vote;
import io.quorate.schedule.ProbeScheduler;
import io.quorate.schedule.SchedulePlan;
import io.quorate.store.AuditLog;
import io.quorate.store.RecentObservations;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One region's agent: wires the scheduler, local state, recent observations, metrics and the HTTP
 * API together and deploys them. Holds no mutable state of its own.
 */
public final class Agent {
  private static final Logger LOG = LoggerFactory.getLogger(Agent.class);

  /** Audit entries kept in memory (every entry is also in the store). */
  static final int AUDIT_CAPACITY = 10_000;

  /** Observations kept across all targets for {@code /observations} without a target. */
  static final int GLOBAL_RECENT = 1000;

  private final Vertx vertx;

  /** Replaced by a live reload (ADR 0017). */
  private volatile LoadedConfig config;

  private final io.quorate.agent.ConfigReloads reloads;
  private io.quorate.config.ConfigFiles files;
  private java.util.function.Consumer<QuorateConfig> preload = c -> {};
  private FailoverMetrics failoverMetrics;
  private final PrometheusMeterRegistry registry;
  private final Clock clock;
  private final ProbeRegistry probes;
  private final HeartbeatBook heartbeats;
  private final LocalStates states;
  private final RecentObservations recent;
  private final ProbeMetrics metrics;
  private ProbeScheduler scheduler;
  private ApiVerticle api;
  private QuorumService quorum;
  private QuorumMetrics quorumMetrics;
  private Mesh mesh;
  private RegionsResource regions;
  private AuditLog audit;
  private FailoverExecutor failover;
  private ZoneStore zones;
  private io.quorate.store.Database database;
  private io.quorate.agent.HeartbeatPings pings;
  private io.quorate.store.DataDirLock dataDirLock;
  private io.quorate.alert.Outbox outbox;
  private io.quorate.store.VerdictHistory history;
  private io.quorate.store.Rollups rollups;
  private io.quorate.store.FailedObservations failedObservations;
  private io.quorate.store.ObservationRecorder recorder;
  private io.quorate.alert.Dispatcher dispatcher;
  private io.quorate.alert.AlertService alerts;
  private io.quorate.slo.SloService slos;
  private io.quorate.alert.MeshSendPolicy sendPolicy;
  private java.util.List<io.quorate.alert.ChannelSender> senders = java.util.List.of();
  private AuthoritativeServer authServer;
  private io.quorate.maintenance.MaintenanceService maintenance;
  private final java.util.Map<String, java.util.function.Function<BearerAuth, Router>> extra =
      new java.util.LinkedHashMap<>();

  /** Deployment ids of the verticles {@link #start()} deployed, by verticle. */
  private final java.util.Map<io.vertx.core.Deployable, String> deployments =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** Periodic timers this class set itself (store flush, history compaction). */
  private final java.util.Set<Long> timers = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private Future<Void> stopping;

  public Agent(
      Vertx vertx,
      LoadedConfig config,
      PrometheusMeterRegistry registry,
      Clock clock,
      ProbeRegistry probes) {
    this(vertx, config, registry, clock, probes, new HeartbeatBook());
  }

  /** With the book of heartbeat pings {@code probes} judges heartbeat targets from. */
  public Agent(
      Vertx vertx,
      LoadedConfig config,
      PrometheusMeterRegistry registry,
      Clock clock,
      ProbeRegistry probes,
      HeartbeatBook heartbeats) {
    this.heartbeats = heartbeats;
    this.vertx = vertx;
    this.config = config;
    this.registry = registry;
    this.clock = clock;
    this.probes = probes;
    QuorateConfig shared = config.shared();
    RegionConfig region = config.region();
    this.states = new LocalStates(clock, shared.targets());
    this.recent =
        new RecentObservations(
            region.scheduler().observationsPerTarget(),
            GLOBAL_RECENT,
            RecentObservations.keptFor(region.scheduler().observationsMemoryMB()));
    this.metrics = new ProbeMetrics(registry, region.region());
    this.reloads = new io.quorate.agent.ConfigReloads(config, clock);
    wire();
  }

  /** An agent with the standard probe set on {@code vertx}. */
  public static Agent standard(Vertx vertx, LoadedConfig config, PrometheusMeterRegistry registry) {
    return standard(vertx, config, registry, Clock.systemUTC());
  }

  /** The same with an explicit wall clock (tests, and the hidden --clock-offset-ms option). */
  public static Agent standard(
      Vertx vertx, LoadedConfig config, PrometheusMeterRegistry registry, Clock clock) {
    TlsVerifier tls = new TlsVerifier(clock);
    tls.preload(caFiles(config.shared()));
    ProbeContext ctx = new ProbeContext(vertx, clock, tls);
    HeartbeatBook book = new HeartbeatBook();
    Agent agent = new Agent(vertx, config, registry, clock, Probes.standard(ctx, book), book);
    agent.preload = c -> tls.preload(caFiles(c)); // a reload's new CA files, read off the loop
    return agent;
  }

  /** Every CA file named by a target's TLS policy. */
  static java.util.Set<String> caFiles(QuorateConfig c) {
    java.util.Set<String> files = new java.util.HashSet<>();
    for (Target t : c.targets()) {
      io.quorate.config.Check check = t.check();
      io.quorate.config.TlsPolicy p = null;
      if (check instanceof io.quorate.config.HttpCheck h) {
        p = h.tls();
      } else if (check instanceof io.quorate.config.TlsCheck x) {
        p = x.policy();
      } else if (check instanceof io.quorate.config.TcpCheck x) {
        p = x.tls();
      } else if (check instanceof io.quorate.config.SmtpCheck x) {
        p = x.tls();
      } else if (check instanceof io.quorate.config.ImapCheck x) {
        p = x.tls();
      } else if (check instanceof io.quorate.config.Pop3Check x) {
        p = x.tls();
      } else if (check instanceof io.quorate.config.MailflowCheck x) {
        p = x.imap().tls();
        if (x.smtp().tls() != null && x.smtp().tls().caFile() != null) {
          files.add(x.smtp().tls().caFile());
        }
      }
      if (p != null && p.caFile() != null) {
        files.add(p.caFile());
      }
    }
    return files;
  }

  /** Creates every component; nothing runs until {@link #start()}. */
  private void wire() {
    RegionConfig region = config.region();
    QuorateConfig shared = config.shared();
    scheduler =
        new ProbeScheduler(
            region.region(),
            shared.targets(),
            probes,
            metrics,
            this::accept,
            clock,
            region.scheduler(),
            new SchedulePlan(region.scheduler().jitterPercent(), new SplittableRandom()),
            clock.millis() * 1000);
    quorum =
        new QuorumService(
            vertx,
            shared,
            region.region(),
            clock,
            ActionGate.defaultSettleMs(shared.targets()),
            this::verdictChanged,
            this::gateChanged);
    quorumMetrics = new QuorumMetrics(registry, region.region(), shared, quorum);
    mesh =
        new Mesh(
            vertx,
            config,
            clock,
            new MeshMetrics(registry, region.region(), clock),
            quorum::vote,
            quorum::heard);
    pings = new io.quorate.agent.HeartbeatPings(heartbeats, mesh, clock, () -> config.shared());
    mesh.onPings(pings::fromPeer);
    mesh.onLeaving(quorum::left);
    regions = new RegionsResource(vertx, shared, config.sharedHash(), quorum, mesh::peers, clock);
    audit = new AuditLog(AUDIT_CAPACITY);
    reloads.auditTo(audit);
    failoverMetrics = new FailoverMetrics(registry, region.region());
    boolean embedded = shared.zones().stream().anyMatch(io.quorate.config.DnsZone::isEmbedded);
    zones = embedded ? new ZoneStore(shared, clock) : null;
    if (embedded && region.authoritative() != null) {
      java.util.Set<String> names = new java.util.TreeSet<>();
      shared.zones().stream()
          .filter(io.quorate.config.DnsZone::isEmbedded)
          .forEach(z -> names.add(z.zone()));
      authServer =
          new AuthoritativeServer(
              region.authoritative().host(),
              region.authoritative().port(),
              zones,
              shared.zones(),
              new AuthMetrics(registry, names),
              clock);
    }
    DnsProvider dns =
        new ZoneProviders(
            new Rfc2136Provider(vertx), embedded ? new EmbeddedProvider(vertx, zones) : null);
    failover =
        new FailoverExecutor(
            vertx,
            shared,
            region.region(),
            clock,
            quorum,
            dns,
            audit,
            failoverMetrics,
            (kind, data) -> {
              EventsResource.publish(vertx, kind, new JsonObject(data));
              if (alerts != null) {
                alerts.onPoolEvent(kind, data);
              }
            });
    for (io.quorate.config.Pool p : shared.pools()) {
      failoverMetrics.watchFrozen(p.id(), () -> frozen(p.id()));
    }
    wireMaintenance();
    api = new ApiVerticle(region.listen().host(), region.listen().port(), this::router);
  }

  /** The agent's whole HTTP surface (also walked by the OpenAPI coverage test). */
  public Router router() {
    RegionConfig region = config.region();
    QuorateConfig shared = config.shared();
    BearerAuth auth = new BearerAuth(region.tokens());
    HealthResource health = new HealthResource(vertx, this::ready);
    ApiRouter routes = new ApiRouter(vertx, auth, health, registry);
    routes
        .mesh(mesh.router())
        .heartbeats(
            new HeartbeatsResource(vertx, shared.targets(), heartbeats, clock, pings::received)
                .router())
        .read("targets", new TargetsResource(vertx, region.region(), states).router())
        .read(
            "observations",
            new ObservationsResource(vertx, states, recent, () -> failedObservations, clock)
                .router())
        .read(
            "rollups",
            new io.quorate.api.RollupsResource(vertx, () -> rollups, shared, region.region(), clock)
                .router())
        .read(
            "verdicts",
            new VerdictsResource(vertx, shared, quorum, clock, maintenance::covering).router())
        .read(
            "maintenance",
            new io.quorate.api.MaintenanceResource(vertx, maintenance, shared, auth, clock)
                .router())
        .read("regions", regions.router())
        .read("events", new EventsResource(vertx).router())
        .read("pools", new PoolsResource(vertx, failover, auth).router())
        .read("audit", new AuditResource(vertx, audit).router())
        .read("alerts", new io.quorate.api.AlertsResource(vertx, outbox, auth).router())
        .read(
            "sla/report",
            new io.quorate.api.SlaReportResource(
                    vertx, history, shared, maintenance.calendar(), clock)
                .router())
        .read("sla", new io.quorate.api.SlaResource(vertx, history, shared, auth, clock).router())
        .read("slo", new io.quorate.api.SloResource(vertx, slos).router())
        .read(
            "config",
            new io.quorate.api.ConfigResource(vertx, auth, reloads::view, this::reload).router());
    extra.forEach((name, resource) -> routes.read(name, resource.apply(auth)));
    statusPage(routes);
    return routes.build();
  }

  /** The status page at {@code /} (and {@code /status.json} when public), data at /status. */
  private void statusPage(ApiRouter routes) {
    QuorateConfig shared = config.shared();
    io.quorate.api.StatusResource status =
        new io.quorate.api.StatusResource(
            vertx,
            new io.quorate.api.StatusResource.Sources(
                shared,
                quorum::verdicts,
                failover::views,
                maintenance.calendar(),
                () -> java.util.Set.copyOf(quorum.gate().live()),
                () -> quorum.gate().quorate(),
                history,
                clock));
    routes
        .page(new io.quorate.api.StatusPageResource(vertx, status).router())
        .read("status", status.router());
  }

  /**
   * Adds a resource at {@code /api/v1/<name>} (read scope; the resource checks {@code operate}
   * itself where it changes things). Call before {@link #start()}; used by {@code quorate demo}.
   */
  public Agent mount(String name, java.util.function.Function<BearerAuth, Router> resource) {
    extra.put(name, resource);
    return this;
  }

  /** This agent's copy of the embedded zones, or {@code null} when it serves none. */
  public ZoneStore zones() {
    return zones;
  }

  /** Deploys the API, the mesh and the scheduler; fails if any fails (e.g. the port is taken). */
  public Future<Agent> start() {
    RegionConfig region = config.region();
    QuorateConfig shared = config.shared();
    // the data directory's lock before anything else: a second agent on it binds and sends nothing
    // the API listens before the mesh starts pushing, so peers' first answers find us
    // the store first: an unusable one (corrupt, newer schema) refuses the start
    // DNS answers from the zone as configured (pools with their primaries) until verdicts exist
    return io.quorate.store.DataDirLock.acquire(vertx, region.dataDir(), clock.instant())
        .compose(
            lock -> {
              dataDirLock = lock;
              quorum.start();
              return io.quorate.store.Database.open(vertx, region.dataDir());
            })
        .compose(
            db -> {
              database = db;
              wireAlerts(db);
              return wireStore(db).compose(v -> pings.restore(db)).compose(v -> resumeSequences());
            })
        .compose(
            v -> {
              wireSlos();
              alerts.suppressVerdicts(maintenance::covered);
              return maintenance.start(database, history);
            })
        .compose(x -> deploy(api))
        .compose(id -> authServer == null ? Future.succeededFuture(id) : deploy(authServer))
        .compose(id -> deploy(mesh))
        .compose(id -> deploy(scheduler))
        .compose(id -> deploy(dispatcher))
        .onSuccess(
            id -> {
              failover.start();
              alerts.start();
              slos.start();
            })
        .map(
            id -> {
              LOG.info(
                  "agent started region={} targets={} peers={} quorum={} configHash={}",
                  region.region(),
                  shared.targets().size(),
                  region.mesh().peers().size(),
                  shared.quorum().size(),
                  config.sharedHash().substring(0, 12));
              return this;
            });
  }

  private Future<String> deploy(io.vertx.core.Deployable verticle) {
    return vertx.deployVerticle(verticle).onSuccess(id -> deployments.put(verticle, id));
  }

  /**
   * Graceful shutdown within {@code limit} (ADR 0016): tell peers this region is leaving (and start
   * no more failover steps), let probes in flight finish, stop every service and timer, flush the
   * open rollup minute and failing observations, stop the dispatcher (pending deliveries stay in
   * the store), close the listeners and the database. What is not done by {@code limit} is
   * abandoned and logged; the future always succeeds. Idempotent. Vert.x is not closed.
   */
  public synchronized Future<Void> stop(java.time.Duration limit) {
    if (stopping == null) {
      String who = "region=" + config.region().region();
      LOG.info("agent stopping {} limitMs={}", who, limit.toMillis());
      stopping =
          new io.quorate.lifecycle.StopSequence(vertx, who)
              .then("leave", this::leave)
              .then("probes", () -> undeploy(scheduler))
              .then("services", this::stopServices)
              .then("store-flush", this::flushStore)
              .then("outbox", () -> undeploy(dispatcher))
              .then(
                  "listeners",
                  () -> Future.join(undeploy(api), undeploy(authServer), undeploy(mesh)))
              .then("database", () -> database == null ? null : database.close())
              .then("data-dir-lock", () -> dataDirLock == null ? null : dataDirLock.release())
              .run(limit)
              .onSuccess(r -> LOG.info("agent stopped {}", who))
              .mapEmpty();
    }
    return stopping;
  }

  /** No new failover steps, then the leaving message to every peer. */
  private Future<Void> leave() {
    Future<Void> failoverIdle = failover.stop();
    failoverIdle.onFailure(e -> LOG.warn("failover stop-failed error=\"{}\"", e.getMessage()));
    return mesh.leave();
  }

  private Future<?> stopServices() {
    timers.forEach(vertx::cancelTimer);
    timers.clear();
    java.util.List<Future<Void>> all = new java.util.ArrayList<>();
    all.add(failover.stop());
    all.add(maintenance.stop());
    all.add(quorum.stop());
    if (alerts != null) {
      all.add(alerts.stop());
    }
    if (slos != null) {
      all.add(slos.stop());
    }
    return Future.join(all);
  }

  private Future<Void> undeploy(io.vertx.core.Deployable verticle) {
    String id = verticle == null ? null : deployments.remove(verticle);
    return id == null ? Future.succeededFuture() : vertx.undeploy(id);
  }

  /** The alert stack on the opened store: outbox, channels, who-sends policy, router, sources. */
  private void wireAlerts(io.quorate.store.Database db) {
    RegionConfig region = config.region();
    QuorateConfig shared = config.shared();
    io.quorate.config.Alerts cfg = shared.alerts();
    outbox = new io.quorate.alert.Outbox(db, clock);
    senders = io.quorate.alert.Channels.build(vertx, cfg, clock);
    sendPolicy =
        new io.quorate.alert.MeshSendPolicy(
            region.region(),
            quorum::gate,
            shared.quorum().standbyMs(),
            clock,
            mesh::publishReceipt);
    mesh.onReceipts(sendPolicy::received);
    dispatcher =
        new io.quorate.alert.Dispatcher(
            outbox,
            senders,
            sendPolicy,
            ev -> alerts.raise(ev),
            io.quorate.alert.Dispatcher.Settings.defaults()
                .withRetry(
                    io.quorate.alert.RetrySchedule.DEFAULT.withRetryForMs(cfg.retryForMs())));
    dispatcher.metrics(new io.quorate.alert.AlertMetrics(registry, region.region()));
    io.quorate.alert.AlertRouter router =
        new io.quorate.alert.AlertRouter(cfg, dispatcher::raise, clock, region.region());
    alerts =
        new io.quorate.alert.AlertService(
            vertx, shared, region.region(), clock, router, quorum::gate, mesh::peers);
  }

  /**
   * SLOs on the verdict history: evaluated every 30 s, gauges, burn alerts via the alert service.
   */
  private void wireSlos() {
    String self = config.region().region();
    slos =
        new io.quorate.slo.SloService(
            vertx, config.shared(), history, clock, self, ev -> alerts.raise(ev));
    io.quorate.slo.SloMetrics.register(registry, self, slos);
  }

  static final long HISTORY_COMPACT_MS = 3_600_000;

  /**
   * Maintenance windows at run time (ADR 0014): the overlay over verdicts, shared API windows over
   * the mesh, and the failover freeze. The quorum engine is not involved.
   */
  private void wireMaintenance() {
    maintenance =
        new io.quorate.maintenance.MaintenanceService(
            vertx,
            config.shared(),
            clock,
            new io.quorate.maintenance.MaintenanceService.Hooks(
                quorum::verdict,
                (v, o) -> EventsResource.publish(vertx, "verdict", VerdictViews.shown(v, o)),
                c -> {
                  if (alerts != null) {
                    alerts.onVerdict(c);
                  }
                },
                failover::replan,
                mesh::publishWindows));
    mesh.onWindows(maintenance::receive);
    failover.frozenBy(maintenance::frozen);
  }

  /** How often closed minutes and failing observations are written. */
  static final long STORE_FLUSH_MS = 5_000;

  /** Failing observations queued between two flushes at most. */
  static final int MAX_PENDING_FAILED = 50_000;

  /**
   * Verdict history, rollups, failing observations, the durable audit log and retention on the
   * opened store (ADR 0015): flushes every {@link #STORE_FLUSH_MS}, compacts at start and hourly.
   */
  private Future<Void> wireStore(io.quorate.store.Database db) {
    io.quorate.config.RegionConfig.Store limits = config.region().store();
    history =
        new io.quorate.store.VerdictHistory(
            db,
            clock,
            new io.quorate.store.VerdictHistory.Limits(
                limits.historyDays(),
                (int) Math.min(limits.maxRows(), Integer.MAX_VALUE),
                io.quorate.store.VerdictHistory.Limits.DEFAULT.maxQueryRows()));
    rollups = new io.quorate.store.Rollups(db);
    failedObservations = new io.quorate.store.FailedObservations(db, MAX_PENDING_FAILED);
    io.quorate.store.ObservationRecorder rec =
        new io.quorate.store.ObservationRecorder(
            clock,
            new io.quorate.store.MinuteAccumulator(config.shared().targets().size() + 1),
            rollups,
            failedObservations);
    io.quorate.store.AuditStore auditStore = new io.quorate.store.AuditStore(db);
    io.quorate.store.Retention retention =
        new io.quorate.store.Retention(limits, rollups, failedObservations, auditStore, history);
    Runnable compact =
        () ->
            retention
                .compact(clock.instant())
                .onFailure(e -> LOG.warn("store compact-failed error=\"{}\"", e.getMessage()));
    timers.add(
        vertx.setPeriodic(
            STORE_FLUSH_MS,
            t ->
                rec.flush()
                    .onFailure(e -> LOG.warn("store flush-failed error=\"{}\"", e.getMessage()))));
    timers.add(vertx.setPeriodic(HISTORY_COMPACT_MS, HISTORY_COMPACT_MS, t -> compact.run()));
    recorder = rec;
    return audit.attach(auditStore).onSuccess(v -> compact.run());
  }

  /**
   * Mesh and observation sequence numbers resume above what the previous run may have used, even if
   * the clock was stepped back meanwhile ({@link io.quorate.store.SequenceFloor}); the reservation
   * is moved on every minute while the agent runs.
   */
  private Future<Void> resumeSequences() {
    return io.quorate.store.SequenceFloor.open(vertx, config.region().dataDir(), clock.millis())
        .map(
            f -> {
              mesh.resumeSeqAbove(f.start());
              scheduler.resumeSeqAbove(f.start());
              timers.add(
                  vertx.setPeriodic(
                      SEQ_FLOOR_CHECK_MS,
                      t -> f.extend(Math.max(mesh.currentSeq(), scheduler.currentSeq()))));
              return null;
            });
  }

  /** How often the sequence reservation is checked (it lasts about 10 minutes). */
  static final long SEQ_FLOOR_CHECK_MS = 60_000;

  /** The open rollup minute, failing observations and queued heartbeat pings, written. */
  private Future<?> flushStore() {
    return Future.join(
        recorder == null ? Future.succeededFuture() : recorder.flushAll(), pings.idle());
  }

  /** The verdict history (after {@link #start()}). */
  public io.quorate.store.VerdictHistory history() {
    return history;
  }

  /** The alert outbox (after {@link #start()}). */
  public io.quorate.alert.Outbox outbox() {
    return outbox;
  }

  private boolean ready() {
    return scheduler != null && scheduler.isRunning();
  }

  private void accept(Target t, Observation obs) {
    recent.add(obs);
    if (recorder != null) {
      recorder.accept(obs);
    }
    metrics.recordResult(t, obs.result());
    if (alerts != null) {
      alerts.onResult(obs.result());
    }
    states
        .record(
            obs,
            change -> {
              metrics.recordState(change.target(), change.to());
              LOG.info(
                  "state target={} from={} to={} detail=\"{}\"",
                  t.id(),
                  change.from(),
                  change.to(),
                  obs.result().detail());
            })
        .ifPresent(
            status -> {
              Vote own = ownVote(status, obs);
              quorum.vote(own);
              mesh.publish(own);
            });
  }

  /** This region's vote after an observation: its hysteresis status, stamped now. */
  private Vote ownVote(TargetStatus status, Observation obs) {
    ProbeResult r = obs.result();
    return new Vote(
        obs.region(),
        r.targetId(),
        status.state().status(),
        status.state().since(),
        obs.seq(),
        clock.instant(),
        r.outcome(),
        r.errorKind(),
        r.detail());
  }

  private void verdictChanged(VerdictChange c) {
    quorumMetrics.transition(c);
    Verdict v = c.after();
    LOG.info(
        "verdict target={} from={} to={} transition={} contested={}",
        v.targetId(),
        c.before().state(),
        v.state(),
        v.transition(),
        v.contested());
    io.quorate.maintenance.Occurrence shown = maintenance.onVerdict(c).orElse(null);
    EventsResource.publish(vertx, "verdict", VerdictViews.shown(v, shown));
    failover.onVerdict(c);
    if (history != null && shown == null) {
      history
          .record(c)
          .onFailure(
              e ->
                  LOG.warn(
                      "history record-failed target={} error={}", v.targetId(), e.getMessage()));
    }
    if (alerts != null) {
      alerts.onVerdict(c);
    }
  }

  private void gateChanged(QuorumService.GateStatus g) {
    LOG.info(
        "quorum quorate={} settled={} rank={} live={}",
        g.quorate(),
        g.settled(),
        g.rank(),
        g.live());
    if (regions != null) {
      EventsResource.publish(vertx, "region", regions.view());
    }
    if (alerts != null) {
      alerts.onGate(g);
    }
  }

  /** The files {@link #reload()} reads again (RunCommand and test clusters set them). */
  public Agent reloadFrom(io.quorate.config.ConfigFiles startedWith) {
    this.files = startedWith;
    return this;
  }

  /** Reads the files the agent was started with again and applies them (ADR 0017). */
  public Future<io.quorate.agent.ReloadReport> reload() {
    return reload("agent:" + config.region().region());
  }

  /** The same, audited as asked by {@code actor} ({@code token:<name>}, {@code signal:HUP}). */
  public Future<io.quorate.agent.ReloadReport> reload(String actor) {
    io.quorate.config.ConfigFiles f = files;
    if (stopping != null) {
      return reloads.refuse(actor, new io.quorate.agent.ConfigReloads.Stopping());
    }
    if (f == null) {
      return reloads.refuse(actor, new io.quorate.agent.ConfigReloads.NoFiles());
    }
    return reloads.run(
        actor,
        () -> vertx.executeBlocking(() -> preloaded(f.load()), false),
        new String[] {f.shared().toString(), f.region().toString()},
        this::applyReload);
  }

  /**
   * Applies {@code next} live (ADR 0017), or refuses it whole: a config changing a field that
   * cannot change at run time fails with {@link io.quorate.agent.ConfigReloads.Refused}, a second
   * reload while one runs with {@link io.quorate.agent.ConfigReloads.Busy}.
   */
  public Future<io.quorate.agent.ReloadReport> reload(LoadedConfig next) {
    String actor = "agent:" + config.region().region();
    if (stopping != null) {
      return reloads.refuse(actor, new io.quorate.agent.ConfigReloads.Stopping());
    }
    return reloads.run(
        actor,
        () -> vertx.executeBlocking(() -> preloaded(next), false),
        new String[] {"shared", "region"},
        this::applyReload);
  }

  private LoadedConfig preloaded(LoadedConfig next) {
    preload.accept(next.shared());
    return next;
  }

  /** Hands each stateful component its part of the diff, then rebuilds the HTTP surface. */
  private Future<Void> applyReload(LoadedConfig next, io.quorate.config.ConfigDiff d) {
    QuorateConfig shared = next.shared();
    String self = next.region().region();
    java.util.Set<String> restart = d.targets().restarted();
    java.util.List<String> removed = d.targets().removed();
    return scheduler
        .apply(
            shared.targets(),
            restart,
            () -> {
              states.apply(shared.targets(), restart);
              removed.forEach(recent::remove);
              removed.forEach(metrics::forget);
              d.targets().changed().forEach(metrics::forget);
              removed.forEach(quorumMetrics::forget);
              d.targets().changed().forEach(quorumMetrics::forget);
            })
        .compose(v -> quorum.reconfigure(shared, restart))
        .compose(v -> failover.reconfigure(shared, d.pools()))
        .compose(v -> reloadAlerts(next, d))
        .compose(v -> slos.reconfigure(shared))
        .map(
            v -> {
              d.pools()
                  .removed()
                  .forEach(p -> io.quorate.metrics.Meters.removeTagged(registry, self, "pool", p));
              d.pools().added().forEach(p -> failoverMetrics.watchFrozen(p, () -> frozen(p)));
              mesh.reconfigure(next.sharedHash(), removed);
              io.quorate.slo.SloMetrics.reconfigure(registry, self, slos, d.slos());
              maintenance.reconfigure(shared);
              config = next;
              regions =
                  new RegionsResource(vertx, shared, next.sharedHash(), quorum, mesh::peers, clock);
              api.reroute(router());
              return null;
            });
  }

  /**
   * The alert part of a live reload: the dispatcher's senders and retry period first (so a channel
   * is deliverable before a rule routes to it; a removed channel's pending deliveries are
   * dead-lettered), then the router's rules and storm limits (ADR 0017 amendment).
   */
  private Future<Void> reloadAlerts(LoadedConfig next, io.quorate.config.ConfigDiff d) {
    io.quorate.config.Alerts after = next.shared().alerts();
    senders =
        io.quorate.alert.Channels.rebuild(vertx, config.shared().alerts(), after, senders, clock);
    String self = next.region().region();
    return dispatcher
        .reconfigure(
            senders, io.quorate.alert.RetrySchedule.DEFAULT.withRetryForMs(after.retryForMs()))
        .compose(
            dead -> {
              d.channels()
                  .removed()
                  .forEach(
                      c -> io.quorate.metrics.Meters.removeTagged(registry, self, "channel", c));
              LOG.info(
                  "alert reloaded channelsAdded={} channelsChanged={} channelsRemoved={}"
                      + " deadLettered={}",
                  d.channels().added(),
                  d.channels().changed(),
                  d.channels().removed(),
                  dead);
              return alerts.reconfigure(next.shared());
            });
  }

  private boolean frozen(String pool) {
    io.quorate.failover.PoolView v = failover.view(pool);
    return v != null && v.frozen();
  }

  public int apiPort() {
    return api.actualPort();
  }

  /** The embedded DNS server's port (UDP and TCP), or -1 when this agent serves none. */
  public int dnsPort() {
    return authServer == null ? -1 : authServer.actualPort();
  }

  public QuorumService quorum() {
    return quorum;
  }

  public FailoverExecutor failover() {
    return failover;
  }

  public AuditLog audit() {
    return audit;
  }

  public Mesh mesh() {
    return mesh;
  }

  public LocalStates states() {
    return states;
  }

  public RecentObservations recent() {
    return recent;
  }
}
