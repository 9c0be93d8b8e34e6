/*
 * Real-Flink oracle for the `pipeline-sim/conformance-v1` Flink cases (tests/conformance/flink).
 *
 *   java -cp <build>:<pyflink/lib/*> FlinkOracle [--keyby] OUT_DIR CASE.json ...
 *
 * For every case file: runs the case's windowed count on a local Flink mini-cluster
 * (parallelism 1) and writes OUT_DIR/<case file name> = {"expected": {...}, "run": {...}}.
 * oracle.py merges `expected` into the case file. See README.md for the format.
 *
 * The job (all one operator chain, one thread, so one totally ordered log):
 *
 *   fromData(elements in arrival order)                      Flink's FromElementsSource
 *   .assignTimestampsAndWatermarks(ArrivalDrivenWatermarks)  Flink's TimestampsAndWatermarksOperator,
 *                                                            OUR WatermarkGenerator (below)
 *   .transform(Probe "in")                                   logs each element and watermark
 *   reinterpretAsKeyedStream(key)  (or keyBy(key) with --keyby: a second task, see README)
 *   .window(Tumbling|Sliding|EventTimeSession EventTimeWindows)   Flink's own
 *   .allowedLateness(a) [.sideOutputLateData(tag)]                  Flink's own WindowOperator
 *   .process(ProcessWindowFunction: start, end, key, count, ids, ctx.currentWatermark())
 *   .transform(Probe "fire");  getSideOutput(tag).transform(Probe "late")
 *
 * The WindowOperator's own `numLateRecordsDropped` counter is read through an in-JVM metric
 * reporter (FlinkOracle$Reporter, registered via META-INF/services in the build dir), so an
 * element dropped as late without a side output is reported by Flink itself.
 */

import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.eventtime.BoundedOutOfOrdernessWatermarks;
import org.apache.flink.api.common.eventtime.WatermarksWithIdleness;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.util.clock.RelativeClock;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ArrayNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.datastream.WindowedStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.windowing.assigners.EventTimeSessionWindows;
import org.apache.flink.streaming.api.windowing.assigners.SlidingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.assigners.WindowAssigner;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.io.File;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;

public class FlinkOracle {

    static final String FORMAT = "pipeline-sim/conformance-v1";
    static final String FLINK_VERSION = "2.3.0";
    static final ObjectMapper JSON = new ObjectMapper();
    static boolean FORCE_SPLITS = false; // --splits: run source_partitions-less cases as 1 split too

    // ---------------------------------------------------------------- the input element

    /** One input element. A Flink POJO (public fields, no-arg constructor). */
    public static class Ev implements Serializable {
        public int index; // position in the case's `input` (arrival order)
        public long id;
        public String key;
        public long ts; // event time, epoch ms

        public Ev() {}

        Ev(int index, long id, String key, long ts) {
            this.index = index;
            this.id = id;
            this.key = key;
            this.ts = ts;
        }
    }

    /** What the ProcessWindowFunction emits per firing. */
    public static class Fire implements Serializable {
        public String key;
        public long start;
        public long end;
        public long count;
        public long watermark; // ctx.currentWatermark() at the firing
        public long[] ids; // the ids of the window's elements, sorted

        public Fire() {}
    }

    // ---------------------------------------------------------------- our watermark generator

    /**
     * Bounded out-of-orderness watermarks (Flink's BoundedOutOfOrdernessWatermarks: max event
     * time seen - delay - 1 ms), emitted at the SIMULATED processing times of Flink's periodic
     * emission instead of the wall clock. Periodic ticks are at k * interval (k = 1, 2, ...) of
     * processing time since the job started (arrival_ms 0); a tick at T sees every element with
     * arrival_ms < T (an element arriving exactly at T comes after the tick). Only the first
     * tick between two elements can change anything, so: after element i, if a tick T lies in
     * (arrival_i, arrival_{i+1}] (for the last element: (arrival_last, input_end_ms], no tick
     * when input_end_ms is absent), emit max - delay - 1 from onEvent, which
     * TimestampsAndWatermarksOperator calls right after it forwarded element i. Flink's
     * WatermarkEmitter drops a watermark that does not advance. onPeriodicEmit does nothing
     * (the job runs with auto-watermark-interval 0, so Flink only calls it once, in finish(),
     * after the end-of-input MAX watermark, where it can emit nothing).
     */
    public static class ArrivalDrivenWatermarks implements WatermarkGenerator<Ev>, Serializable {
        final long delay;
        final long interval;
        final long[] arrivals;
        final long endMs; // -1: the source ends right after the last element, before any tick
        long maxTs;

        ArrivalDrivenWatermarks(long delay, long interval, long[] arrivals, long endMs) {
            this.delay = delay;
            this.interval = interval;
            this.arrivals = arrivals;
            this.endMs = endMs;
            this.maxTs = Long.MIN_VALUE + delay + 1;
        }

        @Override
        public void onEvent(Ev ev, long ts, WatermarkOutput out) {
            maxTs = Math.max(maxTs, ts);
            long a = arrivals[ev.index];
            long next = ev.index + 1 < arrivals.length ? arrivals[ev.index + 1] : endMs;
            long firstTickAfter = (Math.floorDiv(a, interval) + 1) * interval;
            if (next >= 0 && firstTickAfter <= next) {
                out.emitWatermark(new Watermark(maxTs - delay - 1));
            }
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput out) {}
    }

    // ---------------------------------------------------------------- several source partitions

    /**
     * The simulated processing time of a case with source partitions (engine.conf
     * source_partitions N): shared by our source reader, our tick gates and our idleness clock,
     * all of which run in the source task's one mailbox thread (static: the mini-cluster runs in
     * this JVM; one case at a time).
     *
     * The job runs with a REAL auto-watermark-interval of 1 ms, so Flink's own periodic timer
     * (ProgressiveTimestampsAndWatermarks.emitImmediateWatermark: every split's
     * SourceOutputWithWatermarks.emitPeriodicWatermark, then WatermarkOutputMultiplexer
     * .onPeriodicEmit, then the main output's generator) keeps calling onPeriodicEmit. Our
     * TickGate lets a call through to the split's generator only when the reader has posted a
     * SIMULATED tick (tickMs, seq) that this gate has not done yet; otherwise the call does
     * nothing, and the multiplexer then has nothing new to combine. The reader posts the ticks
     * k * interval (k >= 1) in (arrival_{i-1}, arrival_i] before element i (for i = 0:
     * (0, arrival_0]; after the last element: (arrival_last, input_end_ms]) one at a time and
     * hands out no record (NOTHING_AVAILABLE) until the main output's generator, which Flink
     * calls last in each periodic emission, reports the tick done.
     */
    static final class Sim {
        static volatile long tickMs = -1; // the posted simulated tick, -1: none pending
        static volatile long tickSeq = 0; // number of ticks posted so far
        static volatile CompletableFuture<Void> tickDone = CompletableFuture.completedFuture(null);
        static volatile int generatorsCreated = 0;
        static volatile long ticksDone = 0;

        static void reset() {
            tickMs = -1;
            tickSeq = 0;
            tickDone = CompletableFuture.completedFuture(null);
            generatorsCreated = 0;
            ticksDone = 0;
        }
    }

    /** The simulated clock WatermarksWithIdleness measures idleness on: the current tick. */
    public static class SimClock implements RelativeClock, Serializable {
        @Override
        public long relativeTimeMillis() {
            return Sim.tickMs;
        }

        @Override
        public long relativeTimeNanos() {
            return Sim.tickMs * 1_000_000L;
        }
    }

    /** Passes onPeriodicEmit to the split's generator once per simulated tick, never otherwise. */
    public static class TickGate implements WatermarkGenerator<Ev>, Serializable {
        final WatermarkGenerator<Ev> inner;
        long lastSeq = 0;

        TickGate(WatermarkGenerator<Ev> inner) {
            this.inner = inner;
        }

        @Override
        public void onEvent(Ev ev, long ts, WatermarkOutput out) {
            inner.onEvent(ev, ts, out);
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput out) {
            if (Sim.tickMs >= 0 && lastSeq != Sim.tickSeq) {
                lastSeq = Sim.tickSeq;
                inner.onPeriodicEmit(out);
            }
        }
    }

    /**
     * The main output's generator (ProgressiveTimestampsAndWatermarks creates it first, before
     * any split's): gets no events, emits nothing (so Flink's IdlenessManager keeps the main
     * output idle), and, being called after every split's generator and the multiplexer in
     * each periodic emission, completes the posted simulated tick.
     */
    public static class TickCompleter implements WatermarkGenerator<Ev>, Serializable {
        @Override
        public void onEvent(Ev ev, long ts, WatermarkOutput out) {
            throw new IllegalStateException("an element on the main output, not a split's");
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput out) {
            if (Sim.tickMs >= 0) {
                Sim.tickMs = -1;
                Sim.ticksDone++;
                Sim.tickDone.complete(null);
            }
        }
    }

    public static class PartSplit implements SourceSplit, Serializable {
        final int partition;

        PartSplit(int partition) {
            this.partition = partition;
        }

        @Override
        public String splitId() {
            return Integer.toString(partition);
        }
    }

    public static class PartSplitSerializer implements SimpleVersionedSerializer<PartSplit> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(PartSplit s) {
            return java.nio.ByteBuffer.allocate(4).putInt(s.partition).array();
        }

        @Override
        public PartSplit deserialize(int version, byte[] b) {
            return new PartSplit(java.nio.ByteBuffer.wrap(b).getInt());
        }
    }

    public static class IntSerializer implements SimpleVersionedSerializer<Integer> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(Integer s) {
            return java.nio.ByteBuffer.allocate(4).putInt(s).array();
        }

        @Override
        public Integer deserialize(int version, byte[] b) {
            return java.nio.ByteBuffer.wrap(b).getInt();
        }
    }

    /** Assigns all N splits to the one reader as soon as it registers. */
    public static class PartEnumerator implements SplitEnumerator<PartSplit, Integer> {
        final SplitEnumeratorContext<PartSplit> ctx;
        final int n;

        PartEnumerator(SplitEnumeratorContext<PartSplit> ctx, int n) {
            this.ctx = ctx;
            this.n = n;
        }

        @Override
        public void start() {}

        @Override
        public void handleSplitRequest(int subtask, String host) {}

        @Override
        public void addSplitsBack(List<PartSplit> splits, int subtask) {
            throw new IllegalStateException("no failover in the oracle");
        }

        @Override
        public void addReader(int subtask) {
            List<PartSplit> all = new ArrayList<>();
            for (int p = 0; p < n; p++) all.add(new PartSplit(p));
            ctx.assignSplits(new SplitsAssignment<>(Collections.singletonMap(subtask, all)));
            ctx.signalNoMoreSplits(subtask);
        }

        @Override
        public Integer snapshotState(long checkpointId) {
            return n;
        }

        @Override
        public void close() {}
    }

    /**
     * Hands out the case's elements in their one global arrival order, each through its own
     * split's SourceOutput (ReaderOutput.createOutputForSplit: Flink gives every split its own
     * watermark generator and registers it with the WatermarkOutputMultiplexer), and posts the
     * simulated periodic ticks between them (see Sim). The outputs of all N splits are created
     * at the first pollNext, before any element, so a split that never gets an element is
     * registered (at Long.MIN_VALUE) from the start. Splits are never released.
     */
    public static class PartReader implements SourceReader<Ev, PartSplit> {
        final List<Ev> evs;
        final int[] partitions;
        final long[] arrivals;
        final long interval;
        final long endMs;
        final int n;
        final List<PartSplit> splits = new ArrayList<>();
        CompletableFuture<Void> splitsArrived = new CompletableFuture<>();
        SourceOutput<Ev>[] outs;
        int next = 0; // next element
        long nextTick; // next simulated tick not yet posted

        PartReader(List<Ev> evs, int[] partitions, long[] arrivals, long interval, long endMs, int n) {
            this.evs = evs;
            this.partitions = partitions;
            this.arrivals = arrivals;
            this.interval = interval;
            this.endMs = endMs;
            this.n = n;
            this.nextTick = interval;
        }

        @Override
        public void start() {}

        @Override
        @SuppressWarnings("unchecked")
        public InputStatus pollNext(ReaderOutput<Ev> output) {
            if (splits.size() < n) return InputStatus.NOTHING_AVAILABLE;
            if (outs == null) {
                outs = new SourceOutput[n];
                for (int p = 0; p < n; p++) outs[p] = output.createOutputForSplit(Integer.toString(p));
            }
            if (Sim.tickMs >= 0) return InputStatus.NOTHING_AVAILABLE; // a tick still pending
            long until = next < evs.size() ? arrivals[next] : endMs;
            if (interval > 0 && until >= 0 && nextTick <= until) {
                Sim.tickDone = new CompletableFuture<>();
                Sim.tickSeq++;
                Sim.tickMs = nextTick;
                nextTick += interval;
                return InputStatus.NOTHING_AVAILABLE;
            }
            if (next < evs.size()) {
                Ev ev = evs.get(next);
                outs[partitions[next]].collect(ev);
                next++;
                return InputStatus.MORE_AVAILABLE;
            }
            return InputStatus.END_OF_INPUT;
        }

        @Override
        public List<PartSplit> snapshotState(long checkpointId) {
            return new ArrayList<>(splits);
        }

        @Override
        public CompletableFuture<Void> isAvailable() {
            if (splits.size() < n) return splitsArrived;
            return Sim.tickDone;
        }

        @Override
        public void addSplits(List<PartSplit> s) {
            splits.addAll(s);
            if (splits.size() >= n) splitsArrived.complete(null);
        }

        @Override
        public void notifyNoMoreSplits() {}

        @Override
        public void close() {}
    }

    /** A bounded FLIP-27 source: one split per partition, all read by one reader. */
    public static class PartSource implements Source<Ev, PartSplit, Integer> {
        final List<Ev> evs;
        final int[] partitions;
        final long[] arrivals;
        final long interval;
        final long endMs;
        final int n;

        PartSource(List<Ev> evs, int[] partitions, long[] arrivals, long interval, long endMs, int n) {
            this.evs = evs;
            this.partitions = partitions;
            this.arrivals = arrivals;
            this.interval = interval;
            this.endMs = endMs;
            this.n = n;
        }

        @Override
        public Boundedness getBoundedness() {
            return Boundedness.BOUNDED;
        }

        @Override
        public SourceReader<Ev, PartSplit> createReader(SourceReaderContext ctx) {
            return new PartReader(evs, partitions, arrivals, interval, endMs, n);
        }

        @Override
        public SplitEnumerator<PartSplit, Integer> createEnumerator(SplitEnumeratorContext<PartSplit> ctx) {
            return new PartEnumerator(ctx, n);
        }

        @Override
        public SplitEnumerator<PartSplit, Integer> restoreEnumerator(SplitEnumeratorContext<PartSplit> ctx, Integer chk) {
            return new PartEnumerator(ctx, n);
        }

        @Override
        public SimpleVersionedSerializer<PartSplit> getSplitSerializer() {
            return new PartSplitSerializer();
        }

        @Override
        public SimpleVersionedSerializer<Integer> getEnumeratorCheckpointSerializer() {
            return new IntSerializer();
        }
    }

    // ---------------------------------------------------------------- the log

    /** One entry of the (single-threaded) log of what passed where, in order. */
    static final class Entry {
        final String kind; // "element" | "watermark" | "fire" | "late" | "end"
        final Object what; // Ev | Long | Fire
        final long dropped; // numLateRecordsDropped when the entry was made
        final long thread;

        Entry(String kind, Object what) {
            this.kind = kind;
            this.what = what;
            Counter c = DROPPED;
            this.dropped = c == null ? -1 : c.getCount();
            this.thread = Thread.currentThread().getId();
        }
    }

    static final List<Entry> LOG = Collections.synchronizedList(new ArrayList<>());
    static volatile Counter DROPPED;
    static volatile int DROPPED_REGISTRATIONS;

    /** Pass-through operator that logs every element and watermark, then forwards it. */
    public static class Probe<T> extends AbstractStreamOperator<T>
            implements OneInputStreamOperator<T, T> {
        final String kind;

        Probe(String kind) {
            this.kind = kind;
        }

        @Override
        public void processElement(StreamRecord<T> element) throws Exception {
            FlinkOracle.LOG.add(new Entry(kind, element.getValue()));
            output.collect(element);
        }

        @Override
        public void processWatermark(org.apache.flink.streaming.api.watermark.Watermark mark)
                throws Exception {
            if (kind.equals("element")) {
                FlinkOracle.LOG.add(new Entry("watermark", mark.getTimestamp()));
            }
            super.processWatermark(mark);
        }
    }

    /** In-JVM metric reporter: hands the WindowOperator's numLateRecordsDropped counter over. */
    public static class Reporter implements MetricReporter, MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new Reporter();
        }

        @Override
        public void open(MetricConfig config) {}

        @Override
        public void close() {}

        @Override
        public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
            if (name.equals("numLateRecordsDropped") && metric instanceof Counter) {
                DROPPED = (Counter) metric;
                DROPPED_REGISTRATIONS++;
            }
        }

        @Override
        public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {}
    }

    // ---------------------------------------------------------------- window function

    public static class CountWindow extends ProcessWindowFunction<Ev, Fire, String, TimeWindow> {
        @Override
        public void process(String key, Context ctx, Iterable<Ev> elements, Collector<Fire> out) {
            List<Long> ids = new ArrayList<>();
            for (Ev e : elements) {
                ids.add(e.id);
            }
            Collections.sort(ids);
            Fire f = new Fire();
            f.key = key;
            f.start = ctx.window().getStart();
            f.end = ctx.window().getEnd();
            f.count = ids.size();
            f.watermark = ctx.currentWatermark();
            f.ids = ids.stream().mapToLong(Long::longValue).toArray();
            out.collect(f);
        }
    }

    public static class KeyOf implements KeySelector<Ev, String> {
        @Override
        public String getKey(Ev e) {
            return e.key;
        }
    }

    public static class EventTime implements SerializableTimestampAssigner<Ev> {
        @Override
        public long extractTimestamp(Ev e, long recordTimestamp) {
            return e.ts;
        }
    }

    // ---------------------------------------------------------------- time formatting

    static final DateTimeFormatter US =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
    static final DateTimeFormatter MS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    /** A window bound: 6 fractional digits, like the Spark cases. */
    static String ts6(long ms) {
        return US.format(Instant.ofEpochMilli(ms));
    }

    /** A watermark: 3 digits like the Spark cases; Flink's end-of-time / start-of-time as words. */
    static String wm(long ms) {
        if (ms == Long.MAX_VALUE) return "MAX";
        if (ms == Long.MIN_VALUE) return "MIN";
        return MS.format(Instant.ofEpochMilli(ms));
    }

    static long parseMs(String iso) {
        Instant t = Instant.parse(iso);
        if (t.getNano() % 1_000_000 != 0) {
            throw new IllegalArgumentException("event time " + iso + " is not a whole millisecond");
        }
        return t.toEpochMilli();
    }

    // ---------------------------------------------------------------- one case

    static ObjectNode runCase(JsonNode c, boolean keyBy) throws Exception {
        if (!FORMAT.equals(c.path("format").asText())) throw new IllegalArgumentException("format");
        JsonNode engine = c.path("engine");
        if (!"flink".equals(engine.path("name").asText())) throw new IllegalArgumentException("engine.name");
        JsonNode conf = engine.path("conf");
        long interval = conf.path("pipeline.auto-watermark-interval_ms").asLong(200);
        int parallelism = conf.path("parallelism").asInt(1);
        boolean split = conf.has("source_partitions") || FORCE_SPLITS;
        int nParts = conf.path("source_partitions").asInt(1);
        if (nParts < 1) throw new IllegalArgumentException("source_partitions must be >= 1");
        if (parallelism != 1) throw new IllegalArgumentException("only parallelism 1");

        JsonNode q = c.path("query");
        if (!"window_count".equals(q.path("operator").asText())) throw new IllegalArgumentException("operator");
        long delay = Math.round(q.path("watermark_delay_s").asDouble() * 1000);
        long lateness = Math.round(q.path("allowed_lateness_s").asDouble(0) * 1000);
        boolean side = q.path("late_side_output").asBoolean(false);
        long idleMs = q.has("idleness_s") ? Math.round(q.path("idleness_s").asDouble() * 1000) : -1;
        if (idleMs >= 0 && !split) throw new IllegalArgumentException("idleness_s needs engine.conf.source_partitions");
        JsonNode w = q.path("window");

        JsonNode in = c.path("input");
        int n = in.size();
        List<Ev> evs = new ArrayList<>();
        long[] arrivals = new long[n];
        int[] partitions = new int[n];
        for (int i = 0; i < n; i++) {
            JsonNode r = in.get(i);
            evs.add(new Ev(i, r.path("id").asLong(), r.path("key").asText(), parseMs(r.path("event_time").asText())));
            if (!r.has("arrival_ms")) throw new IllegalArgumentException("input[" + i + "] has no arrival_ms");
            arrivals[i] = r.path("arrival_ms").asLong();
            partitions[i] = r.path("partition").asInt(0);
            if (partitions[i] < 0 || partitions[i] >= nParts) throw new IllegalArgumentException("input[" + i + "].partition");
            if (r.has("partition") && !conf.has("source_partitions")) throw new IllegalArgumentException("partition without source_partitions");
            if (i > 0 && arrivals[i] < arrivals[i - 1]) throw new IllegalArgumentException("arrival_ms must not decrease");
        }
        long endMs = c.has("input_end_ms") ? c.path("input_end_ms").asLong() : -1;
        if (endMs >= 0 && n > 0 && endMs < arrivals[n - 1]) throw new IllegalArgumentException("input_end_ms < last arrival");

        WindowAssigner<Object, TimeWindow> assigner;
        switch (w.path("kind").asText()) {
            case "tumbling":
                assigner = TumblingEventTimeWindows.of(Duration.ofMillis(Math.round(w.path("size_s").asDouble() * 1000)));
                break;
            case "sliding":
                assigner = SlidingEventTimeWindows.of(
                        Duration.ofMillis(Math.round(w.path("size_s").asDouble() * 1000)),
                        Duration.ofMillis(Math.round(w.path("slide_s").asDouble() * 1000)));
                break;
            case "session":
                assigner = EventTimeSessionWindows.withGap(Duration.ofMillis(Math.round(w.path("gap_s").asDouble() * 1000)));
                break;
            default:
                throw new IllegalArgumentException("window.kind");
        }

        Configuration config = new Configuration();
        config.setString("metrics.reporter.oracle.factory.class", Reporter.class.getName());
        config.setString("rest.bind-port", "0");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, config);
        env.setParallelism(1);
        final long fDelay = delay, fInterval = interval, fEnd = endMs, fIdle = idleMs;
        final long[] fArrivals = arrivals;
        TypeInformation<Ev> evType = TypeInformation.of(Ev.class);
        DataStream<Ev> src;
        if (!split) {
            env.getConfig().setAutoWatermarkInterval(0); // no wall-clock periodic emission at all
            WatermarkStrategy<Ev> strategy = WatermarkStrategy
                    .<Ev>forGenerator(ctx -> new ArrivalDrivenWatermarks(fDelay, fInterval, fArrivals, fEnd))
                    .withTimestampAssigner(new EventTime());
            src = env.fromData(evs, evType).assignTimestampsAndWatermarks(strategy);
        } else {
            // Flink's periodic timer runs every real 1 ms; our TickGates turn it into the simulated ticks.
            env.getConfig().setAutoWatermarkInterval(1);
            Sim.reset();
            WatermarkStrategy<Ev> strategy = WatermarkStrategy
                    .<Ev>forGenerator(ctx -> {
                        // the first generator is the main output's (ProgressiveTimestampsAndWatermarks
                        // .createMainOutput), then one per split in createOutputForSplit order
                        if (Sim.generatorsCreated++ == 0) return new TickCompleter();
                        WatermarkGenerator<Ev> g = new BoundedOutOfOrdernessWatermarks<>(Duration.ofMillis(fDelay));
                        if (fIdle >= 0) g = new WatermarksWithIdleness<>(g, Duration.ofMillis(fIdle), new SimClock());
                        return new TickGate(g);
                    })
                    .withTimestampAssigner(new EventTime());
            src = env.fromSource(new PartSource(evs, partitions, arrivals, interval, endMs, nParts), strategy, "partitions", evType);
        }
        DataStream<Ev> probed = src.transform("probe-in", evType, new Probe<Ev>("element"));
        KeyedStream<Ev, String> keyed = keyBy
                ? probed.keyBy(new KeyOf())
                : DataStreamUtils.reinterpretAsKeyedStream(probed, new KeyOf(), TypeInformation.of(String.class));
        WindowedStream<Ev, String, TimeWindow> windowed = keyed.window(assigner);
        if (lateness > 0) windowed = windowed.allowedLateness(Duration.ofMillis(lateness));
        OutputTag<Ev> lateTag = new OutputTag<Ev>("late", evType) {};
        if (side) windowed = windowed.sideOutputLateData(lateTag);
        TypeInformation<Fire> fireType = TypeInformation.of(Fire.class);
        SingleOutputStreamOperator<Fire> fired = windowed.process(new CountWindow(), fireType);
        fired.transform("probe-fire", fireType, new Probe<Fire>("fire")).sinkTo(new DiscardingSink<>());
        if (side) {
            fired.getSideOutput(lateTag).transform("probe-late", evType, new Probe<Ev>("late")).sinkTo(new DiscardingSink<>());
        }

        LOG.clear();
        DROPPED = null;
        DROPPED_REGISTRATIONS = 0;
        long t0 = System.nanoTime();
        env.execute(c.path("name").asText());
        long jobMs = (System.nanoTime() - t0) / 1_000_000;
        Counter droppedCounter = DROPPED;
        long droppedTotal = droppedCounter == null ? -1 : droppedCounter.getCount();
        List<Entry> log;
        synchronized (LOG) {
            log = new ArrayList<>(LOG);
        }
        return toExpected(log, droppedTotal, keyBy, jobMs);
    }

    /** Turns the ordered log into the case's `expected` section (+ a `run` section of run facts). */
    static ObjectNode toExpected(List<Entry> log, long droppedTotal, boolean keyBy, long jobMs) {
        ObjectNode out = JSON.createObjectNode();
        ObjectNode exp = out.putObject("expected");
        ArrayNode wms = exp.putArray("watermarks");
        ArrayNode fires = exp.putArray("firings");
        ArrayNode late = exp.putArray("late_side_output");
        ArrayNode dropped = exp.putArray("late_dropped");

        Integer lastIndex = null; // last element seen by the in-probe
        boolean endOfInput = false; // the MAX watermark passed the in-probe
        String cause = null; // "element" | "watermark": what the window operator was processing
        long lastDropped = 0;
        Integer droppedOwner = null; // element the counter's next increments belong to
        java.util.Set<Long> threads = new java.util.TreeSet<>();
        for (Entry e : log) {
            threads.add(e.thread);
            // counter increments since the previous entry happened while processing droppedOwner
            if (e.dropped >= 0 && e.dropped > lastDropped) {
                for (long k = lastDropped; k < e.dropped; k++) dropped.add(droppedOwner == null ? -1 : droppedOwner);
                lastDropped = e.dropped;
            }
            switch (e.kind) {
                case "element": {
                    Ev ev = (Ev) e.what;
                    lastIndex = ev.index;
                    cause = "element";
                    droppedOwner = ev.index;
                    break;
                }
                case "watermark": {
                    long ts = (Long) e.what;
                    ObjectNode o = wms.addObject();
                    putAfter(o, lastIndex, ts == Long.MAX_VALUE);
                    o.put("watermark", wm(ts));
                    if (ts == Long.MAX_VALUE) endOfInput = true;
                    cause = "watermark";
                    droppedOwner = null;
                    break;
                }
                case "fire": {
                    Fire f = (Fire) e.what;
                    ObjectNode o = fires.addObject();
                    putAfter(o, lastIndex, endOfInput);
                    o.put("by", cause);
                    o.put("window_start", ts6(f.start));
                    o.put("window_end", ts6(f.end));
                    o.put("key", f.key);
                    o.put("count", f.count);
                    o.put("watermark", wm(f.watermark));
                    ArrayNode ids = o.putArray("ids");
                    for (long id : f.ids) ids.add(id);
                    break;
                }
                case "late": {
                    Ev ev = (Ev) e.what;
                    ObjectNode o = late.addObject();
                    o.put("index", ev.index);
                    o.put("id", ev.id);
                    break;
                }
                default:
                    throw new IllegalStateException(e.kind);
            }
        }
        if (droppedTotal > lastDropped) {
            for (long k = lastDropped; k < droppedTotal; k++) dropped.add(droppedOwner == null ? -1 : droppedOwner);
        }
        ObjectNode run = out.putObject("run");
        run.put("threads", threads.size());
        run.put("keyby", keyBy);
        run.put("dropped_counter_seen", droppedTotal >= 0);
        run.put("dropped_counter_registrations", DROPPED_REGISTRATIONS);
        run.put("job_ms", jobMs);
        run.put("sim_ticks", Sim.ticksDone);
        return out;
    }

    static void putAfter(ObjectNode o, Integer lastIndex, boolean endOfInput) {
        if (endOfInput) {
            o.putNull("after_index");
            o.put("end_of_input", true);
        } else {
            if (lastIndex == null) o.putNull("after_index");
            else o.put("after_index", lastIndex);
            o.put("end_of_input", false);
        }
    }

    public static void main(String[] args) throws Exception {
        int a = 0;
        boolean keyBy = false;
        while (a < args.length && args[a].startsWith("--")) {
            if (args[a].equals("--keyby")) keyBy = true;
            else if (args[a].equals("--splits")) FORCE_SPLITS = true;
            else throw new IllegalArgumentException(args[a]);
            a++;
        }
        File outDir = new File(args[a++]);
        outDir.mkdirs();
        for (; a < args.length; a++) {
            File f = new File(args[a]);
            JsonNode c = JSON.readTree(f);
            long t0 = System.nanoTime();
            ObjectNode res = runCase(c, keyBy);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            ((ObjectNode) res.get("run")).put("case_ms", ms);
            Files.write(new File(outDir, f.getName()).toPath(),
                    JSON.writeValueAsString(res).getBytes(StandardCharsets.UTF_8));
            System.out.println("flink-oracle: " + f.getName() + " " + ms + " ms");
            System.out.flush();
        }
        System.exit(0);
    }
}
