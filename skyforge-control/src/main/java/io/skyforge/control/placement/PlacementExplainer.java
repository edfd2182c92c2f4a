package io.skyforge.control.placement;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Renders a {@link PlacementDecision} as the text {@code skyforge explain job NAME} prints: the
 * policy, the candidates × filters matrix, every filter's reason, the score table of the eligible
 * clouds, and the outcome with its reason. Space-aligned columns; the output depends only on the
 * decision, so it is stable enough for golden files.
 */
public final class PlacementExplainer {

    private PlacementExplainer() {
    }

    public static String render(PlacementDecision d) {
        StringBuilder out = new StringBuilder();
        Weights w = d.weights();
        out.append("Placement of job ").append(d.job()).append(", decided ").append(d.decidedAt()).append('\n');
        out.append("  policy ").append(d.policy()).append(" (weights cost ").append(Placer.fmt(w.cost()))
                .append(", load ").append(Placer.fmt(w.load())).append(", locality ").append(Placer.fmt(w.locality()))
                .append(", region ").append(Placer.fmt(w.region())).append("), priority ").append(d.priority())
                .append(", ").append(d.partitions()).append(d.partitions() == 1 ? " partition" : " partitions")
                .append(d.allowSplit() ? ", split allowed" : "").append('\n');
        if (d.residency().isEmpty()) {
            out.append("  residency: no rule applies\n");
        } else {
            for (String r : d.residency()) {
                out.append("  residency: ").append(r).append('\n');
            }
        }

        out.append("\nFilters\n");
        List<List<String>> rows = new ArrayList<>();
        List<String> header = new ArrayList<>();
        header.add("CLOUD");
        for (String f : FilterVerdict.FILTERS) {
            header.add(f.toUpperCase(Locale.ROOT));
        }
        header.add("ELIGIBLE");
        rows.add(header);
        for (CandidateReport c : d.candidates()) {
            List<String> row = new ArrayList<>();
            row.add(c.cloud());
            for (FilterVerdict v : c.filters()) {
                row.add(v.passed() ? "pass" : "FAIL");
            }
            row.add(c.eligible() ? "yes" : "no");
            rows.add(row);
        }
        table(out, rows);

        out.append("\nReasons\n");
        for (CandidateReport c : d.candidates()) {
            out.append("  ").append(c.cloud()).append('\n');
            for (FilterVerdict v : c.filters()) {
                out.append(String.format(Locale.ROOT, "    %-10s %-4s  %s\n", v.filter(), v.passed() ? "pass" : "FAIL", v.reason()));
            }
        }

        List<CandidateReport> ranked = d.candidates().stream().filter(CandidateReport::eligible)
                .sorted(Comparator.comparing(CandidateReport::rank)).toList();
        if (!ranked.isEmpty()) {
            out.append("\nScores at ").append(d.startAt()).append(" (each term 0..1, higher is better; score = Σ weight × term)\n");
            List<List<String>> srows = new ArrayList<>();
            srows.add(List.of("RANK", "CLOUD", "COST", "LOAD", "LOCALITY", "REGION", "SCORE", "EST. COST"));
            for (CandidateReport c : ranked) {
                List<String> row = new ArrayList<>();
                row.add(String.valueOf(c.rank()));
                row.add(c.cloud());
                for (ScoreTerm t : c.terms()) {
                    row.add(Placer.fmt(t.value()));
                }
                row.add(Placer.fmt(c.score()));
                row.add(Placer.money(c.estimatedCost()) + " " + d.currency());
                srows.add(row);
            }
            table(out, srows);
            out.append("\nTerms\n");
            for (CandidateReport c : ranked) {
                out.append("  ").append(c.cloud()).append('\n');
                for (ScoreTerm t : c.terms()) {
                    out.append(String.format(Locale.ROOT, "    %-8s %s × %s = %s  %s\n", t.name(), Placer.fmt(t.value()),
                            Placer.fmt(t.weight()), Placer.fmt(t.contribution()), t.detail()));
                }
            }
        }

        out.append("\nDecision: ").append(d.outcome());
        switch (d.outcome()) {
            case PLACED -> out.append(" — start now on ").append(String.join(", ", d.winners()));
            case WAITING -> out.append(" — wait until ").append(d.startAt()).append(", then run on ")
                    .append(String.join(", ", d.winners()));
            case QUEUED -> out.append(" — no allowed cloud has a free slot");
            case UNSCHEDULABLE -> out.append(" — no cloud may run this job");
        }
        out.append('\n');
        for (Share s : d.assignment()) {
            out.append("  ").append(s.cloud()).append(": partitions ").append(range(s)).append('\n');
        }
        out.append("Why: ").append(d.reason()).append('\n');
        return out.toString();
    }

    private static String range(Share s) {
        return s.count() == 1 ? String.valueOf(s.first()) : s.first() + "-" + (s.first() + s.count() - 1);
    }

    private static void table(StringBuilder out, List<List<String>> rows) {
        int cols = rows.get(0).size();
        int[] width = new int[cols];
        for (List<String> r : rows) {
            for (int i = 0; i < cols; i++) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        }
        for (List<String> r : rows) {
            StringBuilder line = new StringBuilder("  ");
            for (int i = 0; i < cols; i++) {
                line.append(r.get(i));
                if (i < cols - 1) {
                    line.append(" ".repeat(width[i] - r.get(i).length() + 2));
                }
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
    }
}
