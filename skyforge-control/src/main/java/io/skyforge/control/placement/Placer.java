package io.skyforge.control.placement;

import io.skyforge.core.validation.Suggest;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Places a job: filters every cloud, scores the survivors, picks the winner (or splits), and for a
 * batch job looks for a cheaper start in the price schedules. Stateless and thread-safe; the same
 * request, snapshot and {@code now} always give the same decision.
 */
public final class Placer {

    private static final double GB = 1024.0 * 1024 * 1024;

    private final PlacementOptions options;

    public Placer() {
        this(PlacementOptions.DEFAULTS);
    }

    public Placer(PlacementOptions options) {
        this.options = options;
    }

    /**
     * Decides where and when the job runs.
     *
     * @throws SkyforgeException {@code SF-VALIDATION} for bad weights or duplicate cloud names,
     *                           {@code SF-NOT-FOUND} when {@code spec.cloud} names no cloud, and
     *                           {@code SF-RESIDENCY} when it names a cloud the residency rules forbid
     */
    public PlacementDecision place(PlacementRequest req, List<CloudCandidate> clouds, Instant now) {
        Weights weights = Weights.resolve(req.policy(), req.weights());
        CloudCandidate[] cs = clouds.toArray(CloudCandidate[]::new);
        Arrays.sort(cs, Comparator.comparing(CloudCandidate::name));
        for (int i = 1; i < cs.length; i++) {
            if (cs[i].name().equals(cs[i - 1].name())) {
                throw new SkyforgeException(ErrorCode.VALIDATION, "two candidate clouds are named " + cs[i].name());
            }
        }
        checkPinExists(req, cs);

        int n = cs.length;
        List<List<FilterVerdict>> verdicts = new ArrayList<>(n);
        int[] free = new int[n];
        boolean[] eligible = new boolean[n];
        boolean anyOnlyFull = false;
        for (int i = 0; i < n; i++) {
            CloudCandidate c = cs[i];
            Integer cap = req.cluster() == null ? null : req.clusterMembers().get(c.name());
            free[i] = cap == null ? c.free() : Math.min(c.free(), cap);
            List<FilterVerdict> v = List.of(ready(c), residency(req, c), pin(req, c), cluster(req, c), jobType(req, c),
                    capacity(c, cap, free[i]));
            verdicts.add(v);
            int failed = 0;
            boolean capacityFailed = false;
            for (FilterVerdict f : v) {
                if (!f.passed()) {
                    failed++;
                    capacityFailed |= f.filter().equals(FilterVerdict.CAPACITY);
                }
            }
            eligible[i] = failed == 0;
            anyOnlyFull |= failed == 1 && capacityFailed;
            if (req.pinnedCloud() != null && c.name().equals(req.pinnedCloud()) && !v.get(1).passed()) {
                throw pinForbidden(req, c, v.get(1), cs);
            }
        }

        Scoring scoring = new Scoring(req, weights, cs, eligible, free);
        List<String> residencyNotes = req.residency().stream()
                .map(r -> r.source() + " → " + (r.allowed().isEmpty() ? "nothing" : String.join(", ", r.allowed())))
                .toList();
        if (scoring.count == 0) {
            Outcome outcome = anyOnlyFull ? Outcome.QUEUED : Outcome.UNSCHEDULABLE;
            String reason = anyOnlyFull ? queuedReason(cs, verdicts) : unschedulableReason(req, cs, verdicts);
            List<CandidateReport> reports = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                reports.add(new CandidateReport(cs[i].name(), false, verdicts.get(i), null, null, null, null, free[i]));
            }
            return new PlacementDecision(req.job(), now, outcome, req.priority().label(), req.policy().label(), weights,
                    req.partitions(), req.allowSplit(), null, List.of(), List.of(), null, currency(cs, eligible),
                    residencyNotes, null, reason, reports);
        }

        Plan planNow = scoring.plan(hourOf(now));
        Plan chosen = planNow;
        Instant startAt = now;
        CheaperWindow window = null;
        if (weights.cost() > 0) {
            Instant bestAt = null;
            Plan best = planNow;
            for (Instant t : candidateStarts(cs, eligible, now)) {
                Plan p = scoring.plan(hourOf(t));
                if (p.totalCost < best.totalCost) {
                    best = p;
                    bestAt = t;
                }
            }
            if (bestAt != null) {
                double saving = planNow.totalCost - best.totalCost;
                boolean worth = saving >= options.minSaving() * planNow.totalCost;
                boolean waits = worth && req.priority() == Priority.BATCH;
                String note = waits ? "batch job: waits for the cheaper window"
                        : req.priority() == Priority.CRITICAL ? "critical jobs never wait"
                        : "saving below " + pct(options.minSaving()) + " of the cost: not worth waiting";
                window = new CheaperWindow(bestAt, best.winners(), round(planNow.totalCost), round(best.totalCost),
                        round(saving), waits, note);
                if (waits) {
                    chosen = best;
                    startAt = bestAt;
                }
            }
        }

        List<CandidateReport> reports = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            if (!eligible[i]) {
                reports.add(new CandidateReport(cs[i].name(), false, verdicts.get(i), null, null, null, null, free[i]));
            } else {
                reports.add(new CandidateReport(cs[i].name(), true, verdicts.get(i), scoring.terms(i, chosen),
                        round(chosen.score[i]), chosen.rankOf(i), scoring.cost(i, chosen), free[i]));
            }
        }
        Outcome outcome = startAt.equals(now) ? Outcome.PLACED : Outcome.WAITING;
        String currency = currency(cs, eligible);
        String reason = placedReason(req, cs, scoring, chosen, outcome, window, currency);
        return new PlacementDecision(req.job(), now, outcome, req.priority().label(), req.policy().label(), weights,
                req.partitions(), req.allowSplit(), startAt, chosen.winners(), chosen.shares(), round(chosen.totalCost),
                currency, residencyNotes, window, reason, reports);
    }

    /** Only the filters: the clouds allowed to run the job now, by name. The benchmark's baseline. */
    public List<String> eligible(PlacementRequest req, List<CloudCandidate> clouds) {
        List<String> out = new ArrayList<>();
        for (CloudCandidate c : clouds) {
            Integer cap = req.cluster() == null ? null : req.clusterMembers().get(c.name());
            int f = cap == null ? c.free() : Math.min(c.free(), cap);
            if (ready(c).passed() && residency(req, c).passed() && pin(req, c).passed() && cluster(req, c).passed()
                    && jobType(req, c).passed() && capacity(c, cap, f).passed()) {
                out.add(c.name());
            }
        }
        out.sort(null);
        return out;
    }

    // ---- filters ----

    private static final FilterVerdict NO_RESIDENCY_RULE = FilterVerdict.pass(FilterVerdict.RESIDENCY, "no residency rule applies");
    private static final FilterVerdict NOT_PINNED = FilterVerdict.pass(FilterVerdict.PIN, "not pinned");
    private static final FilterVerdict PINNED_HERE = FilterVerdict.pass(FilterVerdict.PIN, "spec.cloud pins the job here");
    private static final FilterVerdict NO_CLUSTER = FilterVerdict.pass(FilterVerdict.CLUSTER, "no LogicalCluster named");
    private static final FilterVerdict NO_COMPUTE = FilterVerdict.fail(FilterVerdict.JOB_TYPE, "no compute backend configured (spec.compute)");

    private static final FilterVerdict KUBERNETES_RUNS_CONTAINERS = FilterVerdict.pass(FilterVerdict.JOB_TYPE, "kubernetes runs container jobs");
    private static final FilterVerdict LOCAL_RUNS_GENERATE = FilterVerdict.pass(FilterVerdict.JOB_TYPE, "local runs generate jobs");
    private static final FilterVerdict WORKER_RUNS_GENERATE = FilterVerdict.pass(FilterVerdict.JOB_TYPE, "worker runs generate jobs");
    private static final FilterVerdict KUBERNETES_RUNS_GENERATE = FilterVerdict.pass(FilterVerdict.JOB_TYPE, "kubernetes runs generate jobs");

    private static FilterVerdict ready(CloudCandidate c) {
        String why = c.readyReason() == null || c.readyReason().isBlank() ? "" : ": " + c.readyReason();
        return c.ready() ? FilterVerdict.pass(FilterVerdict.READY, "Ready" + why)
                : FilterVerdict.fail(FilterVerdict.READY, "not Ready" + (why.isEmpty() ? " (no Ready condition yet)" : why));
    }

    private static FilterVerdict residency(PlacementRequest req, CloudCandidate c) {
        if (req.residency().isEmpty()) {
            return NO_RESIDENCY_RULE;
        }
        StringBuilder broken = null;
        for (ResidencyConstraint r : req.residency()) {
            if (!r.allows(c.jurisdiction())) {
                broken = broken == null ? new StringBuilder() : broken.append("; ");
                broken.append(r.allowed().isEmpty() ? "nothing allowed" : "allowed " + String.join(", ", r.allowed()))
                        .append(" by ").append(r.source());
            }
        }
        if (broken == null) {
            return FilterVerdict.pass(FilterVerdict.RESIDENCY, "jurisdiction " + c.jurisdiction() + " allowed");
        }
        String who = c.jurisdiction() == null ? "no jurisdiction label" : "jurisdiction " + c.jurisdiction();
        return FilterVerdict.fail(FilterVerdict.RESIDENCY, who + " not allowed: " + broken);
    }

    private static FilterVerdict pin(PlacementRequest req, CloudCandidate c) {
        if (req.pinnedCloud() == null) {
            return NOT_PINNED;
        }
        return c.name().equals(req.pinnedCloud()) ? PINNED_HERE
                : FilterVerdict.fail(FilterVerdict.PIN, "spec.cloud pins the job to " + req.pinnedCloud());
    }

    private static FilterVerdict cluster(PlacementRequest req, CloudCandidate c) {
        if (req.cluster() == null) {
            return NO_CLUSTER;
        }
        if (!req.clusterMembers().containsKey(c.name())) {
            return FilterVerdict.fail(FilterVerdict.CLUSTER, "not a member of LogicalCluster " + req.cluster()
                    + " (members: " + String.join(", ", req.clusterMembers().keySet()) + ")");
        }
        Integer cap = req.clusterMembers().get(c.name());
        return FilterVerdict.pass(FilterVerdict.CLUSTER, "member of LogicalCluster " + req.cluster()
                + (cap == null ? "" : " (up to " + cap + " slots)"));
    }

    private static FilterVerdict jobType(PlacementRequest req, CloudCandidate c) {
        if (c.computeType() == null) {
            return NO_COMPUTE;
        }
        if (req.kind() == JobKind.CONTAINER && !"kubernetes".equals(c.computeType())) {
            return FilterVerdict.fail(FilterVerdict.JOB_TYPE,
                    "container jobs (spec.image) run only on kubernetes compute; this cloud has " + c.computeType());
        }
        if (req.kind() == JobKind.CONTAINER) {
            return KUBERNETES_RUNS_CONTAINERS;
        }
        return switch (c.computeType()) {
            case "local" -> LOCAL_RUNS_GENERATE;
            case "worker" -> WORKER_RUNS_GENERATE;
            case "kubernetes" -> KUBERNETES_RUNS_GENERATE;
            default -> FilterVerdict.pass(FilterVerdict.JOB_TYPE, c.computeType() + " runs generate jobs");
        };
    }

    private static FilterVerdict capacity(CloudCandidate c, Integer cap, int free) {
        if (c.noWorkers() != null) {
            // Slots on paper, nobody to run them: placing here would swallow the job without a word.
            return FilterVerdict.fail(FilterVerdict.CAPACITY, c.noWorkers());
        }
        if (c.slots() == 0) {
            return FilterVerdict.fail(FilterVerdict.CAPACITY, "0 compute slots");
        }
        if (cap != null && cap == 0) {
            return FilterVerdict.fail(FilterVerdict.CAPACITY, "the LogicalCluster gives this member 0 slots");
        }
        if (free == 0) {
            return FilterVerdict.fail(FilterVerdict.CAPACITY, "full: " + c.running() + "/" + c.slots() + " slots busy");
        }
        return FilterVerdict.pass(FilterVerdict.CAPACITY, free + " free (" + c.running() + "/" + c.slots() + " slots busy"
                + (cap != null && cap < c.free() ? ", cluster cap " + cap + ")" : ")"));
    }

    // ---- errors and reasons ----

    private static void checkPinExists(PlacementRequest req, CloudCandidate[] cs) {
        if (req.pinnedCloud() == null) {
            return;
        }
        for (CloudCandidate c : cs) {
            if (c.name().equals(req.pinnedCloud())) {
                return;
            }
        }
        List<String> names = Arrays.stream(cs).map(CloudCandidate::name).toList();
        throw new SkyforgeException(ErrorCode.NOT_FOUND, "job " + req.job() + ": spec.cloud names cloud '" + req.pinnedCloud()
                + "', which does not exist" + Suggest.didYouMean(req.pinnedCloud(), names)
                + "; clouds: " + (names.isEmpty() ? "none" : String.join(", ", names)));
    }

    private static SkyforgeException pinForbidden(PlacementRequest req, CloudCandidate pinned, FilterVerdict why,
                                                  CloudCandidate[] cs) {
        List<String> allowed = new ArrayList<>();
        for (CloudCandidate c : cs) {
            if (residency(req, c).passed()) {
                allowed.add(c.name() + " (" + c.jurisdiction() + ")");
            }
        }
        return new SkyforgeException(ErrorCode.RESIDENCY, "job " + req.job() + ": spec.cloud pins it to " + pinned.name()
                + ", but residency forbids that cloud: " + why.reason() + ". Clouds the residency rules allow: "
                + (allowed.isEmpty() ? "none" : String.join(", ", allowed))
                + ". Pin one of them or remove spec.cloud.");
    }

    private static String queuedReason(CloudCandidate[] cs, List<List<FilterVerdict>> verdicts) {
        List<String> full = new ArrayList<>();
        List<String> idle = new ArrayList<>();
        for (int i = 0; i < cs.length; i++) {
            long failed = verdicts.get(i).stream().filter(v -> !v.passed()).count();
            if (failed == 1 && !verdicts.get(i).get(5).passed()) {
                if (cs[i].noWorkers() != null) {
                    idle.add(cs[i].name() + ": " + cs[i].noWorkers());
                } else {
                    full.add(cs[i].name());
                }
            }
        }
        if (idle.isEmpty()) {
            return "queued: every allowed cloud is full (" + String.join(", ", full) + "); placed again when a slot frees";
        }
        return "queued: no allowed cloud can take a task now (" + String.join("; ", idle)
                + (full.isEmpty() ? "" : "; full: " + String.join(", ", full))
                + "); placed again when a worker calls in or a slot frees";
    }

    private static String unschedulableReason(PlacementRequest req, CloudCandidate[] cs, List<List<FilterVerdict>> verdicts) {
        if (cs.length == 0) {
            return "no cloud is registered";
        }
        if (req.kind() == JobKind.CONTAINER && Arrays.stream(cs).noneMatch(c -> "kubernetes".equals(c.computeType()))) {
            return "no cloud can run the job: container jobs (spec.image) need a cloud with kubernetes compute, and none has it";
        }
        int[] rejected = new int[FilterVerdict.FILTERS.size()];
        for (List<FilterVerdict> v : verdicts) {
            for (int f = 0; f < v.size(); f++) {
                if (!v.get(f).passed()) {
                    rejected[f]++;
                }
            }
        }
        List<String> parts = new ArrayList<>();
        for (int f = 0; f < rejected.length; f++) {
            if (rejected[f] > 0) {
                parts.add(FilterVerdict.FILTERS.get(f) + " rejected " + rejected[f]);
            }
        }
        return "no cloud can run the job (" + cs.length + " candidates): " + String.join(", ", parts);
    }

    private String placedReason(PlacementRequest req, CloudCandidate[] cs, Scoring s, Plan p, Outcome outcome,
                                       CheaperWindow window, String currency) {
        StringBuilder b = new StringBuilder();
        int first = p.order[0];
        if (s.count == 1) {
            b.append(cs[first].name()).append(" is the only cloud that passes every filter");
        } else {
            int second = p.order[1];
            b.append(cs[first].name()).append(" scores ").append(fmt(p.score[first])).append(", ahead of ")
                    .append(cs[second].name()).append(" at ").append(fmt(p.score[second]));
            List<String> leads = s.leads(first, second, p);
            b.append(leads.isEmpty() ? " (a tie, broken by name)" : "; it leads on " + String.join(", ", leads));
        }
        List<Share> shares = p.shares();
        if (shares.size() > 1) {
            b.append(". Split ").append(req.partitions()).append(" partitions in proportion to free slots: ");
            List<String> parts = new ArrayList<>();
            for (Share sh : shares) {
                parts.add(sh.cloud() + " " + sh.count());
            }
            b.append(String.join(", ", parts));
        }
        b.append(". Estimated cost ").append(money(p.totalCost)).append(' ').append(currency);
        if (window != null) {
            if (outcome == Outcome.WAITING) {
                b.append(". Batch job: waits until ").append(window.at()).append(" on ")
                        .append(String.join(", ", window.clouds())).append(", saving ").append(money(window.saving()))
                        .append(' ').append(currency).append(" (").append(pct(window.saving() / window.costNow()))
                        .append(") over starting now at ").append(money(window.costNow()));
            } else {
                b.append(". Starting at ").append(window.at()).append(" would save ").append(money(window.saving()))
                        .append(' ').append(currency).append(", but ").append(window.note());
            }
        } else if (outcome == Outcome.PLACED && req.priority() == Priority.BATCH && s.weights.cost() > 0) {
            b.append(". No cheaper window in the next ").append(options.maxWait().toHours()).append(" h").append(": starts now");
        }
        return b.toString();
    }


    // ---- wait search ----

    /** Every hour on which some eligible cloud's price changes, as the next such instant after now. */
    private List<Instant> candidateStarts(CloudCandidate[] cs, boolean[] eligible, Instant now) {
        TreeSet<Integer> hours = new TreeSet<>();
        for (int i = 0; i < cs.length; i++) {
            if (eligible[i]) {
                for (PriceSchedule.Window w : cs[i].prices().windows()) {
                    hours.add(w.from());
                    hours.add(w.to() % 24);
                }
            }
        }
        Instant hourStart = now.truncatedTo(ChronoUnit.HOURS);
        int nowHour = hourOf(now);
        List<Instant> out = new ArrayList<>(hours.size());
        for (int h : hours) {
            int ahead = Math.floorMod(h - nowHour, 24);
            if (ahead == 0) {
                ahead = 24;
            }
            Instant t = hourStart.plus(ahead, ChronoUnit.HOURS);
            if (!t.isAfter(now.plus(options.maxWait()))) {
                out.add(t);
            }
        }
        out.sort(null);
        return out;
    }

    static int hourOf(Instant t) {
        return (int) Math.floorMod(Math.floorDiv(t.getEpochSecond(), 3600L), 24L);
    }

    // ---- formatting ----

    static double round(double v) {
        return Math.round(v * 1e6) / 1e6;
    }

    static String fmt(double v) {
        return Decimals.fixed(v, 3);
    }

    static String money(double v) {
        return Decimals.fixed(v, 2);
    }

    static String pct(double fraction) {
        return Math.round(fraction * 100) + "%";
    }

    private static String currency(CloudCandidate[] cs, boolean[] eligible) {
        for (int i = 0; i < cs.length; i++) {
            if (eligible[i]) {
                return cs[i].currency();
            }
        }
        return cs.length == 0 ? "USD" : cs[0].currency();
    }

    // ---- scoring ----

    /** Per-cloud inputs that do not depend on the hour, computed once per decision. */
    private final class Scoring {
        final PlacementRequest req;
        final Weights weights;
        final CloudCandidate[] cs;
        final int[] idx;
        final int count;
        final int[] free;
        final double[] load;
        final double[] locality;
        final double[] region;
        final double[] egress;
        final int[] copiesElsewhere;
        final double cpuHours;
        final double gb;
        final String[] names;

        Scoring(PlacementRequest req, Weights weights, CloudCandidate[] cs, boolean[] eligible, int[] free) {
            this.req = req;
            this.weights = weights;
            this.cs = cs;
            this.free = free;
            names = new String[cs.length];
            for (int i = 0; i < cs.length; i++) {
                names[i] = cs[i].name();
            }
            int k = 0;
            for (boolean e : eligible) {
                k += e ? 1 : 0;
            }
            count = k;
            idx = new int[k];
            k = 0;
            for (int i = 0; i < eligible.length; i++) {
                if (eligible[i]) {
                    idx[k++] = i;
                }
            }
            int n = cs.length;
            load = new double[n];
            locality = new double[n];
            region = new double[n];
            egress = new double[n];
            copiesElsewhere = new int[n];
            cpuHours = req.partitions() * req.cpuHoursPerPartition();
            gb = req.outputBytes() / GB;
            for (int i : idx) {
                CloudCandidate c = cs[i];
                load[i] = 1 - Math.min(1.0, (double) c.running() / c.slots());
                boolean holds = req.outputCopies().contains(c.name());
                locality[i] = holds ? 1 : 0;
                region[i] = req.preferredRegion() == null || req.preferredRegion().equalsIgnoreCase(c.region()) ? 1 : 0;
                int elsewhere = 0;
                for (String copy : req.outputCopies()) {
                    elsewhere += copy.equals(c.name()) ? 0 : 1;
                }
                copiesElsewhere[i] = elsewhere;
                egress[i] = gb * c.egressGb() * elsewhere;
            }
        }

        Plan plan(int hour) {
            int n = cs.length;
            double[] cost = new double[n];
            double[] score = new double[n];
            double min = Double.POSITIVE_INFINITY;
            for (int i : idx) {
                cost[i] = cpuHours * cs[i].prices().priceAt(hour) + egress[i];
                min = Math.min(min, cost[i]);
            }
            double[] costTerm = new double[n];
            for (int i : idx) {
                costTerm[i] = costTerm(cost[i], min);
                score[i] = weights.cost() * costTerm[i] + weights.load() * load[i] + weights.locality() * locality[i]
                        + weights.region() * region[i];
            }
            // Sort keys pack (score on a 1e-9 grid, descending) above the cloud's index, which is its
            // name order since cs is sorted by name: a primitive sort, and ties fall to the name. The
            // grid keeps summation noise from breaking a tie differently on another JVM.
            long[] keys = new long[count];
            for (int k = 0; k < count; k++) {
                int i = idx[k];
                long grid = Math.round(Math.max(0, Math.min(score[i], 2.0)) * 1e9);
                keys[k] = ((2_000_000_000L - grid) << 20) | i;
            }
            Arrays.sort(keys);
            int[] ord = new int[count];
            for (int k = 0; k < count; k++) {
                ord[k] = (int) (keys[k] & 0xFFFFF);
            }
            int[] counts = split(ord);
            double total = 0;
            for (int k = 0; k < count; k++) {
                total += cost[ord[k]] * counts[k] / req.partitions();
            }
            return new Plan(hour, cost, costTerm, score, ord, counts, total, names);
        }

        /**
         * Partitions per ranked cloud: all to the best one, or with allowSplit in proportion to free
         * slots by largest remainder (ties to the better-ranked cloud), so the counts always add up.
         */
        private int[] split(int[] ord) {
            int[] counts = new int[ord.length];
            int partitions = req.partitions();
            if (!req.allowSplit() || ord.length == 1) {
                counts[0] = partitions;
                return counts;
            }
            long totalFree = 0;
            for (int i : ord) {
                totalFree += free[i];
            }
            int given = 0;
            long[] remainder = new long[ord.length];
            for (int k = 0; k < ord.length; k++) {
                long num = (long) partitions * free[ord[k]];
                counts[k] = (int) (num / totalFree);
                remainder[k] = num % totalFree;
                given += counts[k];
            }
            // Largest remainder first, rank breaking ties: remainders are < totalFree <= 2^31 slots.
            long[] byRemainder = new long[ord.length];
            for (int k = 0; k < ord.length; k++) {
                byRemainder[k] = ((totalFree - remainder[k]) << 20) | k;
            }
            Arrays.sort(byRemainder);
            for (int k = 0; given < partitions; k++) {
                counts[(int) (byRemainder[k] & 0xFFFFF)]++;
                given++;
            }
            return counts;
        }

        List<ScoreTerm> terms(int i, Plan p) {
            CloudCandidate c = cs[i];
            String loadDetail = c.running() + "/" + c.slots() + " busy";
            String localityDetail = locality[i] > 0 ? "holds a copy of the output bucket" : "no copy of the output bucket";
            String regionDetail = req.preferredRegion() == null ? "no preference"
                    : (c.region() == null ? "no region" : c.region()) + (region[i] > 0 ? " = " : " != ") + req.preferredRegion();
            return List.of(
                    term("cost", p.costTerm[i], weights.cost(), money(p.cost[i]) + " " + c.currency()),
                    term("load", load[i], weights.load(), loadDetail),
                    term("locality", locality[i], weights.locality(), localityDetail),
                    term("region", region[i], weights.region(), regionDetail));
        }

        CostEstimate cost(int i, Plan p) {
            CloudCandidate c = cs[i];
            PriceSchedule.Window w = c.prices().windowAt(p.hour);
            return new CostEstimate(round(p.cost[i]), round(cpuHours), c.prices().priceAt(p.hour), w == null ? null : w.hours(),
                    round(egress[i]), copiesElsewhere[i], round(gb), c.egressGb(), c.currency());
        }

        /** The terms where {@code a} beats {@code b}, biggest weighted difference first. */
        List<String> leads(int a, int b, Plan p) {
            double[][] diffs = {
                    {0, weights.cost() * (p.costTerm[a] - p.costTerm[b])},
                    {1, weights.load() * (load[a] - load[b])},
                    {2, weights.locality() * (locality[a] - locality[b])},
                    {3, weights.region() * (region[a] - region[b])}};
            Arrays.sort(diffs, (x, y) -> Double.compare(y[1], x[1]));
            List<String> out = new ArrayList<>();
            for (double[] d : diffs) {
                if (d[1] > 1e-9) {
                    String name = Weights.TERMS.get((int) d[0]);
                    String what = switch (name) {
                        case "cost" -> "cost (" + money(p.cost[a]) + " vs " + money(p.cost[b]) + ")";
                        case "load" -> "load (" + cs[a].running() + "/" + cs[a].slots() + " vs " + cs[b].running() + "/"
                                + cs[b].slots() + " busy)";
                        case "locality" -> "locality (holds a copy of the output bucket)";
                        default -> "region (" + req.preferredRegion() + ")";
                    };
                    out.add(what + " +" + fmt(d[1]));
                }
            }
            return out;
        }
    }

    /**
     * {@code min / cost}: the cheapest cloud gets 1 and one twice as dear 0.5. A ratio rather than
     * min-max so that a cent's difference between two clouds does not read as 0 versus 1.
     */
    private static double costTerm(double cost, double min) {
        return cost <= 0 ? 1 : min / cost;
    }

    private static ScoreTerm term(String name, double value, double weight, String detail) {
        return new ScoreTerm(name, round(value), round(weight), round(value * weight), detail);
    }

    /** One evaluated start hour: costs, scores, ranking and assignment. */
    private static final class Plan {
        final int hour;
        final double[] cost;
        final double[] costTerm;
        final double[] score;
        final int[] order;
        final int[] counts;
        final double totalCost;
        final String[] names;

        Plan(int hour, double[] cost, double[] costTerm, double[] score, int[] order, int[] counts, double totalCost,
             String[] names) {
            this.names = names;
            this.hour = hour;
            this.cost = cost;
            this.costTerm = costTerm;
            this.score = score;
            this.order = order;
            this.counts = counts;
            this.totalCost = totalCost;
        }

        Integer rankOf(int i) {
            for (int k = 0; k < order.length; k++) {
                if (order[k] == i) {
                    return k + 1;
                }
            }
            return null;
        }

        List<String> winners() {
            List<String> w = new ArrayList<>();
            for (int k = 0; k < order.length; k++) {
                if (counts[k] > 0) {
                    w.add(csName(order[k]));
                }
            }
            return w;
        }

        List<Share> shares() {
            List<Share> out = new ArrayList<>();
            int next = 0;
            for (int k = 0; k < order.length; k++) {
                if (counts[k] > 0) {
                    out.add(new Share(csName(order[k]), next, counts[k]));
                    next += counts[k];
                }
            }
            return out;
        }

        private String csName(int i) {
            return names[i];
        }
    }
}
