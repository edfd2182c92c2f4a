package io.skyforge.datagen.gen;

import io.skyforge.datagen.dict.Dictionary;
import io.skyforge.datagen.engine.Mix;
import io.skyforge.datagen.engine.Temporal;
import java.time.LocalDate;

/**
 * A person drawn per row from one entity key: every person column of the row (gender, names,
 * email, birth date, ID number) reads the same draws, so they agree with each other.
 */
final class Person {

    private static final int D_GENDER = 0;
    private static final int D_FIRST = 1;
    private static final int D_LAST = 2;
    private static final int D_BIRTH = 3;
    private static final int D_STYLE = 4;
    private static final int D_DOMAIN = 5;
    private static final int D_DIGITS = 6;
    private static final int D_GIVEN_LEN = 7;
    private static final int D_SECOND = 8;

    final boolean zh;
    final String[] male;
    final String[] female;
    final String[] last;
    final String[] malePinyin;
    final String[] femalePinyin;
    final String[] lastPinyin;
    final String[] domains;
    final double[] domainWeights;
    final long referenceDay;
    final int referenceMonthDay;
    final int referenceYear;

    Person(Dictionary d, LocalDate reference) {
        zh = d.locale().startsWith("zh");
        if (zh) {
            male = d.column("given_male", 0);
            malePinyin = d.column("given_male", 1);
            female = d.column("given_female", 0);
            femalePinyin = d.column("given_female", 1);
            last = d.column("surname", 0);
            lastPinyin = d.column("surname", 1);
        } else {
            male = d.words("first_male");
            female = d.words("first_female");
            last = d.words("last");
            malePinyin = male;
            femalePinyin = female;
            lastPinyin = last;
        }
        String[][] dom = d.rows("email_domain");
        domains = new String[dom.length];
        double[] w = new double[dom.length];
        double sum = 0;
        for (int i = 0; i < dom.length; i++) {
            domains[i] = dom[i][0];
            sum += dom[i].length > 1 ? Double.parseDouble(dom[i][1]) : 1;
            w[i] = sum;
        }
        for (int i = 0; i < w.length; i++) {
            w[i] /= sum;
        }
        domainWeights = w;
        referenceDay = reference.toEpochDay();
        referenceYear = reference.getYear();
        referenceMonthDay = reference.getMonthValue() * 100 + reference.getDayOfMonth();
    }

    /** Lists are ordered by how common a name is: squaring the uniform draw favours the head. */
    static int skewed(long h, int n) {
        double u = Mix.unit(h);
        return (int) (u * u * n);
    }

    boolean male(long h) {
        return (Mix.next(h, D_GENDER) & 1) == 0;
    }

    private int firstIndex(long h, boolean male) {
        return skewed(Mix.next(h, D_FIRST), male ? this.male.length : female.length);
    }

    private int secondIndex(long h, boolean male) {
        return Mix.index(Mix.next(h, D_SECOND), male ? this.male.length : female.length);
    }

    private boolean twoCharGiven(long h) {
        return Mix.unit(Mix.next(h, D_GIVEN_LEN)) < 0.7;
    }

    private int lastIndex(long h) {
        return skewed(Mix.next(h, D_LAST), last.length);
    }

    void appendFirst(StringBuilder sb, long h) {
        boolean m = male(h);
        String[] names = m ? male : female;
        sb.append(names[firstIndex(h, m)]);
        if (zh && twoCharGiven(h)) {
            sb.append(names[secondIndex(h, m)]);
        }
    }

    void appendLast(StringBuilder sb, long h) {
        sb.append(last[lastIndex(h)]);
    }

    void appendFull(StringBuilder sb, long h) {
        if (zh) {
            appendLast(sb, h);
            appendFirst(sb, h);
        } else {
            appendFirst(sb, h);
            sb.append(' ');
            appendLast(sb, h);
        }
    }

    private void appendFirstLatin(StringBuilder sb, long h) {
        boolean m = male(h);
        if (zh) {
            String[] py = m ? malePinyin : femalePinyin;
            sb.append(py[firstIndex(h, m)]);
            if (twoCharGiven(h)) {
                sb.append(py[secondIndex(h, m)]);
            }
        } else {
            lowerAppend(sb, (m ? male : female)[firstIndex(h, m)]);
        }
    }

    private void appendLastLatin(StringBuilder sb, long h) {
        if (zh) {
            sb.append(lastPinyin[lastIndex(h)]);
        } else {
            lowerAppend(sb, last[lastIndex(h)]);
        }
    }

    private static void lowerAppend(StringBuilder sb, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                sb.append(Character.toLowerCase(c));
            }
        }
    }

    /**
     * The local part of an email or a user name, derived from the name. With {@code uniqueRow} >= 0
     * the row number is appended after a base that never ends in a digit, so distinct rows never collide.
     */
    void appendHandle(StringBuilder sb, long h, long uniqueRow, char separator) {
        long style = Mix.next(h, D_STYLE);
        int s = Mix.index(style, 6);
        switch (s) {
            case 0, 1 -> {
                appendFirstLatin(sb, h);
                sb.append(separator);
                appendLastLatin(sb, h);
            }
            case 2 -> {
                appendFirstLatin(sb, h);
                appendLastLatin(sb, h);
            }
            case 3 -> {
                int from = sb.length();
                appendFirstLatin(sb, h);
                sb.setLength(from + 1);
                appendLastLatin(sb, h);
            }
            case 4 -> {
                appendLastLatin(sb, h);
                sb.append('_');
                appendFirstLatin(sb, h);
            }
            default -> {
                appendFirstLatin(sb, h);
                appendLastLatin(sb, h);
            }
        }
        if (uniqueRow >= 0) {
            sb.append(uniqueRow + 1);
        } else if (s >= 4) {
            long digits = Mix.next(h, D_DIGITS);
            if (zh || (digits & 1) == 0) {
                sb.append(zh ? 1980 + Mix.index(digits, 26) % 100 : Mix.index(digits, 99) + 1);
            }
        }
    }

    void appendEmail(StringBuilder sb, long h, long uniqueRow, String fixedDomain) {
        appendHandle(sb, h, uniqueRow, '.');
        sb.append('@');
        if (fixedDomain != null) {
            sb.append(fixedDomain);
        } else {
            sb.append(domains[BasicGenerators.pickWeighted(domainWeights, Mix.unit(Mix.next(h, D_DOMAIN)))]);
        }
    }

    /** Birth date between 18 and 80 years before the reference date. */
    long birthDay(long h) {
        long span = (long) (62 * 365.2425);
        return referenceDay - (long) (18 * 365.2425) - Mix.below(Mix.next(h, D_BIRTH), span);
    }

    /** Age in whole years at the reference date. */
    int ageAt(long birthDay) {
        int c = Temporal.civil(birthDay);
        int y = c / 10000;
        int md = c % 10000;
        return referenceYear - y - (referenceMonthDay < md ? 1 : 0);
    }

    /** A birth date uniformly among those that give {@code age} at the reference date. */
    long birthDayForAge(long h, long age) {
        LocalDate ref = LocalDate.ofEpochDay(referenceDay);
        long latest = ref.minusYears(age).toEpochDay();
        long earliest = ref.minusYears(age + 1).toEpochDay() + 1;
        return earliest + Mix.below(Mix.next(h, D_BIRTH), latest - earliest + 1);
    }
}
