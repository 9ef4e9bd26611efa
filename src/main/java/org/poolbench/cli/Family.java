package org.poolbench.cli;

import static org.poolbench.cli.Family.Profiles.EVERY;
import static org.poolbench.cli.Family.Profiles.LESSON;
import static org.poolbench.cli.Family.Profiles.NONE;
import static org.poolbench.cli.Family.Profiles.NOT_SMOKE;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.poolbench.analysis.Analysis;
import org.poolbench.analysis.ChunksizeView;
import org.poolbench.analysis.ClusterView;
import org.poolbench.analysis.CreationView;
import org.poolbench.analysis.FamilyAnalysis;
import org.poolbench.analysis.GranularityView;
import org.poolbench.analysis.IoView;
import org.poolbench.analysis.IpcView;
import org.poolbench.analysis.ResourceView;
import org.poolbench.analysis.ScalingView;
import org.poolbench.analysis.SyncView;
import org.poolbench.analysis.TransportView;
import org.poolbench.analysis.Viewer;
import org.poolbench.bench.JobFacts;
import org.poolbench.charts.Charts;
import org.poolbench.charts.ChunksizeChart;
import org.poolbench.charts.ClusterChart;
import org.poolbench.charts.CreationChart;
import org.poolbench.charts.GranularityChart;
import org.poolbench.charts.IoChart;
import org.poolbench.charts.LessonCharts;
import org.poolbench.charts.Renderer;
import org.poolbench.charts.ResourceChart;
import org.poolbench.charts.ScalingChart;
import org.poolbench.charts.TransportChart;
import org.poolbench.results.IterationsCsv.Iteration;
import org.poolbench.results.ResultRow;
import org.poolbench.results.Speedups;

/**
 * The benchmark families, in the order they run and their views appear in the report: for each, its name (the
 * {@code family} column, {@code --families}, the benchmark class's simple name without {@code Benchmark}, lower
 * case), how it is planned, its job facts, its view, its charts, its CPython part and what its rows carry.
 *
 * <p>This is the one list of families. It lives on the top floor because it names parts from every floor below
 * (planning here, job facts in {@code bench}, views in {@code analysis}, charts in {@code charts}); the floors below
 * keep no list of their own and are handed what they need: {@link Analysis#of} the families (their names, speedups
 * and viewers), {@link Charts#drawAll} the renderers, {@code JmhJson.convert} the families with
 * {@code @AuxCounters}, {@code Speedups.fill} the families with speedups. docs/ARCHITECTURE.md, "Adding a family",
 * says what a new family needs besides its entry here.
 */
public enum Family implements FamilyAnalysis {

    /** The machine's own limit: a spin loop on 1 and k threads; drawn in scaling's figures, no view of its own. */
    CEILING("ceiling", Plan::ceiling, EVERY, JobFacts::ceiling, Viewer.NONE, List.of(), NONE, Set.of()),

    SCALING("scaling", Plan::scaling, EVERY, JobFacts::scaling, ScalingView::views,
            List.of(Renderer.of(ScalingView.class, ScalingChart::figures)), EVERY, Set.of(Trait.SPEEDUPS)),

    CREATION("creation", Plan::creation, EVERY, UnaryOperator.identity(), CreationView::views,
            List.of(Renderer.of(CreationView.class, CreationChart::figures)), NOT_SMOKE, Set.of()),

    GRANULARITY("granularity", Plan::granularity, EVERY, JobFacts::granularity,
            Viewer.of(GranularityView::views, ChunksizeView::views),
            List.of(Renderer.of(GranularityView.class, GranularityChart::figures),
                    Renderer.of(ChunksizeView.class, ChunksizeChart::figures)), NOT_SMOKE, Set.of(Trait.SPEEDUPS)),

    IO("io", Plan::io, EVERY, JobFacts::io, IoView::views, List.of(Renderer.of(IoView.class, IoChart::figures)),
            NOT_SMOKE, Set.of()),

    /** Round trips and start-up of the process pool; shown as a table (no viewer). */
    OVERHEAD("overhead", Plan::overhead, EVERY, UnaryOperator.identity(), null, List.of(), NONE, Set.of()),

    /**
     * The process pool over pipes against shared memory (and process-pool-shm in granularity's crossover). As the
     * lesson families: smoke checks that it runs, full measures it, quick keeps to the headline families.
     */
    TRANSPORT("transport", Plan::transport, LESSON, UnaryOperator.identity(), TransportView::views,
            List.of(Renderer.of(TransportView.class, TransportChart::figures)), NONE,
            Set.of(Trait.AUX_COUNTERS)),

    /** Resource probes (not JMH): memory and threads per backend. */
    RESOURCE("resource", Plan::resource, EVERY, UnaryOperator.identity(), ResourceView::views,
            List.of(Renderer.of(ResourceView.class, ResourceChart::figures)), NONE, Set.of()),

    SYNC("sync", LessonPlan::sync, LESSON, UnaryOperator.identity(), SyncView::views,
            List.of(Renderer.of(SyncView.class, LessonCharts::sync)), NOT_SMOKE, Set.of(Trait.AUX_COUNTERS)),

    IPC("ipc", LessonPlan::ipc, LESSON, UnaryOperator.identity(), IpcView::views,
            List.of(Renderer.of(IpcView.class, LessonCharts::ipc)), NOT_SMOKE, Set.of()),

    /** Hazelcast members; starts member JVMs for every point, so it runs only when named. */
    CLUSTER("cluster", Plan::cluster, NONE, JobFacts::cluster, ClusterView::views,
            List.of(Renderer.of(ClusterView.class, ClusterChart::figures)), NONE, Set.of());

    /** What a family's rows carry beyond a score. */
    public enum Trait {
        /** Its rows get a speedup and efficiency over sequential ({@code results/Speedups}). */
        SPEEDUPS,
        /** Its benchmarks report counts through {@code @AuxCounters}, each a row of its own ({@code JmhJson}). */
        AUX_COUNTERS
    }

    private final String id;
    private final BiConsumer<Plan, Plan.Request> planner;
    private final Set<Profile> byDefault;
    private final UnaryOperator<ResultRow> jobFacts;
    private final Viewer viewer;
    private final List<Renderer<?>> renderers;
    private final Set<Profile> python;
    private final Set<Trait> traits;

    /**
     * @param id its name
     * @param planner its part of a {@link Plan}
     * @param byDefault the profiles that run it when {@code --families} is not given
     * @param jobFacts what its benchmark classes know about a row that JMH's JSON does not say ({@link JobFacts})
     * @param viewer its views ({@code null}: a table)
     * @param renderers the charts of its views
     * @param python the profiles in which the CPython baseline ({@code python/poolbench_py.py}) runs it
     * @param traits what its rows carry
     */
    Family(String id, BiConsumer<Plan, Plan.Request> planner, Set<Profile> byDefault,
            UnaryOperator<ResultRow> jobFacts, Viewer viewer, List<Renderer<?>> renderers, Set<Profile> python,
            Set<Trait> traits) {
        this.id = id;
        this.planner = planner;
        this.byDefault = byDefault;
        this.jobFacts = jobFacts;
        this.viewer = viewer;
        this.renderers = renderers;
        this.python = python;
        this.traits = traits;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public boolean speedups() {
        return traits.contains(Trait.SPEEDUPS);
    }

    @Override
    public Viewer viewer() {
        return viewer;
    }

    /** The charts of its views. */
    public List<Renderer<?>> renderers() {
        return renderers;
    }

    /** True when {@code profile} runs it without {@code --families}. */
    public boolean byDefault(Profile profile) {
        return byDefault.contains(profile);
    }

    /** True when the CPython baseline measures it in {@code profile}. */
    public boolean python(Profile profile) {
        return python.contains(profile);
    }

    /** True when the CPython baseline measures it in some profile. */
    public boolean python() {
        return !python.isEmpty();
    }

    /** True when its benchmarks report {@code @AuxCounters}. */
    public boolean auxCounters() {
        return traits.contains(Trait.AUX_COUNTERS);
    }

    /** Adds its invocations, probes and skipped points to {@code plan}. */
    void plan(Plan plan, Plan.Request request) {
        planner.accept(plan, request);
    }

    /** {@code row}, one of this family's, completed with its job facts. */
    public ResultRow complete(ResultRow row) {
        return jobFacts.apply(row);
    }

    /** Every family's name, in order. */
    public static List<String> names() {
        return Arrays.stream(values()).map(Family::id).toList();
    }

    /** The family named {@code id}. */
    public static Family of(String id) {
        for (Family f : values()) {
            if (f.id.equals(id)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown family '" + id + "'; valid: " + String.join(", ", names()));
    }

    /** The names of the families with {@code trait}. */
    public static Set<String> with(Trait trait) {
        return Arrays.stream(values()).filter(f -> f.traits.contains(trait)).map(Family::id)
                .collect(Collectors.toUnmodifiableSet());
    }

    /** Every family's renderers. */
    public static List<Renderer<?>> allRenderers() {
        List<Renderer<?>> all = new ArrayList<>();
        for (Family f : values()) {
            all.addAll(f.renderers);
        }
        return all;
    }

    /** {@code rows} completed with their families' job facts; rows of a family not in the registry as they are. */
    public static List<ResultRow> completeAll(List<ResultRow> rows) {
        return rows.stream().map(r -> Arrays.stream(values()).filter(f -> f.id.equals(r.family())).findFirst()
                .map(f -> f.complete(r)).orElse(r)).toList();
    }

    /** {@code rows} with speedups filled for the families with {@link Trait#SPEEDUPS}. */
    public static List<ResultRow> fillSpeedups(List<ResultRow> rows) {
        return Speedups.fill(rows, with(Trait.SPEEDUPS));
    }

    /** The analysis of a run's rows by every family's viewer. */
    public static Analysis analyse(List<ResultRow> rows, Map<String, String> env) {
        return analyse(rows, env, List.of());
    }

    /** The analysis of a run's rows and iterations by every family's viewer. */
    public static Analysis analyse(List<ResultRow> rows, Map<String, String> env, List<Iteration> iterations) {
        return Analysis.of(rows, env, iterations, List.of(values()));
    }

    /** Draws every figure of {@code analysis} with the families' renderers; returns the files. */
    public static List<Path> drawAll(Analysis analysis, Path outDir) throws IOException {
        return Charts.drawAll(analysis, outDir, allRenderers());
    }

    /**
     * The profile sets the entries use (an interface's constants, imported: an enum's constants cannot name the
     * enum's own static fields).
     */
    interface Profiles {
        Set<Profile> EVERY = EnumSet.allOf(Profile.class);
        Set<Profile> NOT_SMOKE = EnumSet.of(Profile.QUICK, Profile.FULL);
        Set<Profile> LESSON = EnumSet.of(Profile.SMOKE, Profile.FULL);
        Set<Profile> NONE = EnumSet.noneOf(Profile.class);
    }
}
