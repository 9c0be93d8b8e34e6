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

    /**
     * A bounded FLIP-27 source of `splits()` splits (PartEnumerator hands them all to one
     * reader); its reader is the subclass's.
     */
    public abstract static class BoundedSource implements Source<Ev, PartSplit, Integer> {
        abstract int splits();

        @Override
        public Boundedness getBoundedness() {
            return Boundedness.BOUNDED;
        }

        @Override
        public SplitEnumerator<PartSplit, Integer> createEnumerator(SplitEnumeratorContext<PartSplit> ctx) {
            return new PartEnumerator(ctx, splits());
        }

        @Override
        public SplitEnumerator<PartSplit, Integer> restoreEnumerator(SplitEnumeratorContext<PartSplit> ctx, Integer chk) {
            return new PartEnumerator(ctx, splits());
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

    /** A bounded FLIP-27 source: one split per partition, all read by one reader. */
    public static class PartSource extends BoundedSource {
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
        public SourceReader<Ev, PartSplit> createReader(SourceReaderContext ctx) {
            return new PartReader(evs, partitions, arrivals, interval, endMs, n);
        }

        @Override
        int splits() {
            return n;
        }
    }

    // ---------------------------------------------------------------- the file sink job

    /**
     * What the sink job's reader saw, in order (all on the source task's mailbox thread).
     * Reset per attempt.
     */
    static final class SinkLog {
        static final List<ObjectNode> EVENTS = Collections.synchronizedList(new ArrayList<>());
        static volatile boolean unplanned = false; // a checkpoint barrier outside a planned pause
        static volatile String dir;

        static final java.util.Map<String, String> UUIDS = new java.util.HashMap<>();

        static void reset(String d) {
            EVENTS.clear();
            UUIDS.clear();
            unplanned = false;
            dir = d;
        }
    }

    /**
     * The sink job's reader: one split, the elements in input order; it STOPS before element
     * p for every planned pause p (a checkpoint "after index p - 1"; a pause may repeat) and
     * returns NOTHING_AVAILABLE, with an unfinished availability future, until a checkpoint
     * whose barrier was taken during that pause is complete (notifyCheckpointComplete). The
     * checkpoints are Flink's own periodic ones (a short interval, a minimum pause between
     * them): the reader only makes sure each one lands while it stands still. A barrier taken
     * while the reader is not paused (snapshotState outside a pause) marks the attempt as
     * unplanned, and the oracle reruns the case.
     */
    public static class SinkReader implements SourceReader<Ev, PartSplit> {
        final List<Ev> evs;
        final int[] pauses; // before element p, ascending, may repeat
        final List<PartSplit> splits = new ArrayList<>();
        CompletableFuture<Void> splitsArrived = new CompletableFuture<>();
        int next = 0;
        int pauseIdx = 0;
        boolean waiting = false;
        long waitedCheckpoint = -1; // the checkpoint whose barrier was taken in this pause
        boolean completed = false;
        CompletableFuture<Void> resume = CompletableFuture.completedFuture(null);
        boolean ended = false;

        SinkReader(List<Ev> evs, int[] pauses) {
            this.evs = evs;
            this.pauses = pauses;
        }

        @Override
        public void start() {}

        @Override
        public InputStatus pollNext(ReaderOutput<Ev> output) {
            if (splits.isEmpty()) return InputStatus.NOTHING_AVAILABLE;
            if (waiting) {
                if (!completed) return InputStatus.NOTHING_AVAILABLE;
                ObjectNode o = JSON.createObjectNode();
                o.put("event", "resumed");
                o.put("checkpoint", waitedCheckpoint);
                o.put("before_index", next);
                o.set("listing", listing(SinkLog.dir));
                SinkLog.EVENTS.add(o);
                waiting = false;
                completed = false;
                waitedCheckpoint = -1;
                pauseIdx++;
            }
            if (pauseIdx < pauses.length && pauses[pauseIdx] == next) {
                waiting = true;
                resume = new CompletableFuture<>();
                ObjectNode o = JSON.createObjectNode();
                o.put("event", "paused");
                o.put("before_index", next);
                o.set("listing", listing(SinkLog.dir));
                SinkLog.EVENTS.add(o);
                return InputStatus.NOTHING_AVAILABLE;
            }
            if (next < evs.size()) {
                output.collect(evs.get(next), evs.get(next).ts);
                next++;
                return InputStatus.MORE_AVAILABLE;
            }
            if (!ended) {
                ended = true;
                ObjectNode o = JSON.createObjectNode();
                o.put("event", "end_of_input");
                o.set("listing", listing(SinkLog.dir));
                SinkLog.EVENTS.add(o);
            }
            return InputStatus.END_OF_INPUT;
        }

        @Override
        public List<PartSplit> snapshotState(long checkpointId) {
            ObjectNode o = JSON.createObjectNode();
            o.put("event", "barrier");
            o.put("checkpoint", checkpointId);
            o.put("before_index", next);
            o.put("planned", waiting && waitedCheckpoint < 0);
            o.put("after_end_of_input", ended);
            o.set("listing", listing(SinkLog.dir));
            SinkLog.EVENTS.add(o);
            if (waiting && waitedCheckpoint < 0) waitedCheckpoint = checkpointId;
            else if (!ended) SinkLog.unplanned = true; // after the end of input: the final checkpoint(s)
            return new ArrayList<>(splits);
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            ObjectNode o = JSON.createObjectNode();
            o.put("event", "complete");
            o.put("checkpoint", checkpointId);
            SinkLog.EVENTS.add(o);
            if (waiting && checkpointId == waitedCheckpoint) {
                completed = true;
                resume.complete(null);
            }
        }

        @Override
        public void notifyCheckpointAborted(long checkpointId) {
            ObjectNode o = JSON.createObjectNode();
            o.put("event", "aborted");
            o.put("checkpoint", checkpointId);
            SinkLog.EVENTS.add(o);
            if (waiting && checkpointId == waitedCheckpoint) waitedCheckpoint = -1; // wait for the next
        }

        @Override
        public CompletableFuture<Void> isAvailable() {
            if (splits.isEmpty()) return splitsArrived;
            if (waiting && !completed) return resume;
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void addSplits(List<PartSplit> s) {
            splits.addAll(s);
            splitsArrived.complete(null);
        }

        @Override
        public void notifyNoMoreSplits() {}

        @Override
        public void close() {}
    }

    /** The bounded one-split source of the sink job. */
    public static class SinkSource extends BoundedSource {
        final List<Ev> evs;
        final int[] pauses;

        SinkSource(List<Ev> evs, int[] pauses) {
            this.evs = evs;
            this.pauses = pauses;
        }


        @Override
        public SourceReader<Ev, PartSplit> createReader(SourceReaderContext ctx) {
            return new SinkReader(evs, pauses);
        }

        @Override
        int splits() {
            return 1;
        }
    }

    /** The files visible now that were not before (`seen`), as `cur.committed`: name, rows, ids. */
    static void putCommitted(ObjectNode cur, java.util.Map<String, JsonNode> now, java.util.Map<String, JsonNode> seen) {
        ArrayNode committed = cur.putArray("committed");
        for (java.util.Map.Entry<String, JsonNode> f : now.entrySet()) {
            if (seen.containsKey(f.getKey())) continue;
            ObjectNode o = committed.addObject();
            o.put("name", f.getKey());
            o.put("rows", f.getValue().size());
            o.set("ids", f.getValue());
        }
    }

    /** A row of the file: the element's id (SimpleStringEncoder writes toString + "\n"). */
    public static class IdOf implements org.apache.flink.api.common.functions.MapFunction<Ev, String> {
        @Override
        public String map(Ev e) {
            return Long.toString(e.id);
        }
    }

    /**
     * Every file under dir (recursively, buckets are sub-directories), sorted by name:
     * {"name": relative name with the sink's random UUID replaced by "U", "hidden": starts
     * with "." (in-progress / pending part files), "rows": the ids in the file}.
     */
    static ArrayNode listing(String dir) {
        ArrayNode a = JSON.createArrayNode();
        List<java.nio.file.Path> files = new ArrayList<>();
        try (java.util.stream.Stream<java.nio.file.Path> s = Files.walk(new File(dir).toPath())) {
            s.filter(Files::isRegularFile).forEach(files::add);
        } catch (java.io.IOException e) {
            throw new RuntimeException(e);
        }
        java.nio.file.Path root = new File(dir).toPath();
        // by first row (ids are unique and in input order), so that the random UUIDs in the
        // names get their stand-ins (u1, u2, ... in order of first appearance) deterministically
        List<Object[]> rowsOf = new ArrayList<>();
        for (java.nio.file.Path p : files) {
            List<Long> rows = new ArrayList<>();
            try {
                for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
                    if (!line.isEmpty()) rows.add(Long.parseLong(line));
                }
            } catch (java.io.IOException e) {
                throw new RuntimeException(e);
            }
            rowsOf.add(new Object[] {p, rows});
        }
        rowsOf.sort((x, y) -> {
            @SuppressWarnings("unchecked") List<Long> rx = (List<Long>) x[1], ry = (List<Long>) y[1];
            long fx = rx.isEmpty() ? Long.MAX_VALUE : rx.get(0), fy = ry.isEmpty() ? Long.MAX_VALUE : ry.get(0);
            if (fx != fy) return Long.compare(fx, fy);
            return x[0].toString().compareTo(y[0].toString());
        });
        java.util.regex.Pattern uuid = java.util.regex.Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        for (Object[] x : rowsOf) {
            java.nio.file.Path p = (java.nio.file.Path) x[0];
            String rel = root.relativize(p).toString();
            java.util.regex.Matcher m = uuid.matcher(rel);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                String u = SinkLog.UUIDS.computeIfAbsent(m.group(), k -> "u" + (SinkLog.UUIDS.size() + 1));
                m.appendReplacement(sb, u);
            }
            m.appendTail(sb);
            ObjectNode o = a.addObject();
            o.put("name", sb.toString());
            o.put("hidden", p.getFileName().toString().startsWith("."));
            ArrayNode rows = o.putArray("rows");
            @SuppressWarnings("unchecked") List<Long> rs = (List<Long>) x[1];
            for (long r : rs) rows.add(r);
        }
        return a;
    }

    static ObjectNode runSinkCase(JsonNode c, List<Ev> evs) throws Exception {
        JsonNode sink = c.path("query").path("sink");
        if (!"file".equals(sink.path("kind").asText())
                || !"row".equals(sink.path("format").asText())
                || !"on_checkpoint".equals(sink.path("rolling_policy").asText())
                || !"base_path".equals(sink.path("bucket_assigner").asText())) {
            throw new IllegalArgumentException("query.sink: only {kind: file, format: row, rolling_policy: on_checkpoint, bucket_assigner: base_path}");
        }
        JsonNode cps = c.path("checkpoints_after_index");
        int[] pauses = new int[cps.size()];
        for (int i = 0; i < pauses.length; i++) {
            int after = cps.get(i).asInt();
            if (after < -1 || after >= evs.size()) throw new IllegalArgumentException("checkpoints_after_index");
            pauses[i] = after + 1;
            if (i > 0 && pauses[i] < pauses[i - 1]) throw new IllegalArgumentException("checkpoints_after_index must not decrease");
        }
        ObjectNode res = null;
        int attempt = 0;
        while (true) {
            attempt++;
            File dir = Files.createTempDirectory("flink-oracle-sink-").toFile();
            SinkLog.reset(dir.getAbsolutePath());
            Configuration config = new Configuration();
            config.setString("rest.bind-port", "0");
            config.setString("execution.checkpointing.interval", "100 ms");
            config.setString("execution.checkpointing.min-pause", "50 ms");
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, config);
            env.setParallelism(1);
            TypeInformation<Ev> evType = TypeInformation.of(Ev.class);
            org.apache.flink.connector.file.sink.FileSink<String> fileSink = org.apache.flink.connector.file.sink.FileSink
                    .forRowFormat(new org.apache.flink.core.fs.Path(dir.getAbsolutePath()),
                            new org.apache.flink.api.common.serialization.SimpleStringEncoder<String>("UTF-8"))
                    .withRollingPolicy(org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy.build())
                    .withBucketAssigner(new org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.BasePathBucketAssigner<String>())
                    .build();
            env.fromSource(new SinkSource(evs, pauses), WatermarkStrategy.noWatermarks(), "elements", evType)
                    .map(new IdOf()).returns(String.class)
                    .sinkTo(fileSink);
            long t0 = System.nanoTime();
            env.execute(c.path("name").asText());
            long jobMs = (System.nanoTime() - t0) / 1_000_000;
            List<ObjectNode> events;
            synchronized (SinkLog.EVENTS) {
                events = new ArrayList<>(SinkLog.EVENTS);
            }
            ArrayNode finalListing = listing(dir.getAbsolutePath());
            if (SinkLog.unplanned && attempt < 5) {
                System.out.println("flink-oracle: " + c.path("name").asText() + ": unplanned checkpoint barrier, rerunning");
                continue;
            }
            res = sinkExpected(events, finalListing, evs.size());
            ObjectNode run = (ObjectNode) res.get("run");
            run.put("attempts", attempt);
            run.put("unplanned", SinkLog.unplanned);
            run.put("job_ms", jobMs);
            ArrayNode ev = run.putArray("events");
            for (ObjectNode o : events) ev.add(o);
            run.set("final_listing", finalListing);
            return res;
        }
    }

    /** Visible (committed) files of a listing, by name. */
    static java.util.Map<String, JsonNode> visible(JsonNode listing) {
        java.util.Map<String, JsonNode> m = new java.util.TreeMap<>();
        for (JsonNode f : listing) if (!f.path("hidden").asBoolean()) m.put(f.path("name").asText(), f.path("rows"));
        return m;
    }

    static int hiddenCount(JsonNode listing) {
        int k = 0;
        for (JsonNode f : listing) if (f.path("hidden").asBoolean()) k++;
        return k;
    }

    /**
     * expected.files: one entry per planned checkpoint (in order) and one for the end of
     * input: the files that became visible between the pause and the resume (resp. between
     * the end of input and the job's end), each with its rows; plus, at each pause (before the
     * barrier), how many files were visible and how many hidden (in-progress) ones existed.
     */
    static ObjectNode sinkExpected(List<ObjectNode> events, ArrayNode finalListing, int n) {
        ObjectNode out = JSON.createObjectNode();
        ObjectNode exp = out.putObject("expected");
        ArrayNode files = exp.putArray("files");
        java.util.Map<String, JsonNode> seen = new java.util.TreeMap<>();
        ObjectNode cur = null;
        for (ObjectNode e : events) {
            String kind = e.path("event").asText();
            if (kind.equals("paused")) {
                cur = files.addObject();
                int before = e.path("before_index").asInt();
                if (before == 0) cur.putNull("after_index");
                else cur.put("after_index", before - 1);
                cur.put("end_of_input", false);
                cur.put("in_progress_before", hiddenCount(e.path("listing")));
                cur.put("visible_before", visible(e.path("listing")).size());
            } else if (kind.equals("barrier") && cur != null && !cur.has("visible_at_barrier")) {
                cur.put("visible_at_barrier", visible(e.path("listing")).size());
            } else if (kind.equals("resumed")) {
                java.util.Map<String, JsonNode> now = visible(e.path("listing"));
                putCommitted(cur, now, seen);
                cur.put("in_progress_after", hiddenCount(e.path("listing")));
                seen = now;
                cur = null;
            } else if (kind.equals("end_of_input")) {
                cur = files.addObject();
                cur.putNull("after_index");
                cur.put("end_of_input", true);
                cur.put("in_progress_before", hiddenCount(e.path("listing")));
                cur.put("visible_before", visible(e.path("listing")).size());
            }
        }
        if (cur == null || !cur.path("end_of_input").asBoolean()) throw new IllegalStateException("no end of input");
        putCommitted(cur, visible(finalListing), seen);
        cur.put("in_progress_after", hiddenCount(finalListing));
        ObjectNode run = out.putObject("run");
        return out;
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
        boolean sinkCase = "sink_elements".equals(q.path("operator").asText());
        if (!sinkCase && !"window_count".equals(q.path("operator").asText())) throw new IllegalArgumentException("operator");
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
        if (sinkCase) {
            // --keyby / --splits do not apply (no window operator, one split already)
            if (conf.has("source_partitions")) throw new IllegalArgumentException("sink_elements: no source_partitions");
            return runSinkCase(c, evs);
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
