package io.skyforge.datagen;

import static org.assertj.core.api.Assertions.assertThat;

import io.skyforge.datagen.dict.Dictionary;
import io.skyforge.datagen.engine.CompiledDataset;
import java.time.LocalDate;
import java.time.Period;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Realistic values hold together, and every foreign key points at an existing parent key. */
class DomainAndRelationsTest {

    static final LocalDate REFERENCE = LocalDate.of(2025, 1, 1);
    static final int[] ID_WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};

    static boolean idCheckDigitValid(String id) {
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += (id.charAt(i) - '0') * ID_WEIGHTS[i];
        }
        return "10X98765432".charAt(sum % 11) == id.charAt(17);
    }

    static boolean luhnValid(String number) {
        int sum = 0;
        for (int i = 0; i < number.length(); i++) {
            int d = number.charAt(number.length() - 1 - i) - '0';
            if (i % 2 == 1) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
        }
        return sum % 10 == 0;
    }

    @Test
    void shouldGiveChineseIdNumbersAValidCheckDigitAndTheBirthDateOfTheAgeColumn() {
        CompiledDataset ds = Specs.compile(Specs.example("people-zh.yaml"));
        List<List<String>> rows = Gen.cells(ds, "person");
        int id = Gen.column(ds, "person", "id_number");
        int age = Gen.column(ds, "person", "age");
        int birth = Gen.column(ds, "person", "birth_date");
        int gender = Gen.column(ds, "person", "gender");
        int province = Gen.column(ds, "person", "province");
        int postcode = Gen.column(ds, "person", "postcode");
        int mobile = Gen.column(ds, "person", "mobile");
        Map<String, String> provinceByCode = new HashMap<>();
        for (String[] loc : Dictionary.forLocale("zh_CN").rows("location")) {
            provinceByCode.put(loc[4], loc[0]);
        }
        for (List<String> r : rows) {
            String n = r.get(id);
            assertThat(n).matches("\\d{17}[\\dX]");
            assertThat(idCheckDigitValid(n)).as(n).isTrue();
            LocalDate born = LocalDate.parse(n.substring(6, 10) + "-" + n.substring(10, 12) + "-" + n.substring(12, 14));
            assertThat(Period.between(born, REFERENCE).getYears()).as(n).isEqualTo(Integer.parseInt(r.get(age)));
            assertThat(born.toString()).isEqualTo(r.get(birth));
            boolean male = (n.charAt(16) - '0') % 2 == 1;
            assertThat(r.get(gender)).isEqualTo(male ? "男" : "女");
            assertThat(provinceByCode.get(r.get(postcode))).isEqualTo(r.get(province));
            assertThat(r.get(mobile)).matches("1[3-9]\\d{9}");
        }
    }

    @Test
    void shouldKeepNamesEmailsAndAddressesConsistentInEnglish() {
        CompiledDataset ds = Specs.compile(Specs.example("generators.yaml"));
        Dictionary en = Dictionary.forLocale("en_US");
        Set<String> male = Set.of(en.words("first_male"));
        Set<String> female = Set.of(en.words("first_female"));
        Map<String, String> cityZip = new HashMap<>();
        Map<String, String> cityArea = new HashMap<>();
        for (String[] loc : en.rows("location")) {
            cityZip.put(loc[2], loc[3].substring(0, 3));
            cityArea.put(loc[2], loc[4]);
        }
        List<List<String>> rows = Gen.cells(ds, "customers");
        int first = Gen.column(ds, "customers", "first_name");
        int last = Gen.column(ds, "customers", "last_name");
        int full = Gen.column(ds, "customers", "full_name");
        int sex = Gen.column(ds, "customers", "sex");
        int email = Gen.column(ds, "customers", "email");
        int city = Gen.column(ds, "customers", "city");
        int zip = Gen.column(ds, "customers", "zip");
        int phone = Gen.column(ds, "customers", "phone");
        int card = Gen.column(ds, "customers", "card");
        int visa = Gen.column(ds, "customers", "visa");
        int age = Gen.column(ds, "customers", "age");
        int born = Gen.column(ds, "customers", "born");
        for (List<String> r : rows) {
            assertThat(r.get(full)).isEqualTo(r.get(first) + " " + r.get(last));
            assertThat(r.get(sex).equals("male") ? male : female).contains(r.get(first));
            String local = r.get(email).substring(0, r.get(email).indexOf('@'));
            assertThat(local).contains(r.get(last).toLowerCase().replaceAll("[^a-z]", ""));
            assertThat(r.get(zip)).startsWith(cityZip.get(r.get(city)));
            assertThat(r.get(phone)).matches("\\(\\d{3}\\) [2-9]\\d{2}-\\d{4}").startsWith("(" + cityArea.get(r.get(city)) + ")");
            assertThat(luhnValid(r.get(card))).as(r.get(card)).isTrue();
            assertThat(r.get(visa)).startsWith("4").hasSize(16);
            assertThat(luhnValid(r.get(visa))).isTrue();
            assertThat(Period.between(LocalDate.parse(r.get(born)), REFERENCE).getYears()).isEqualTo(Integer.parseInt(r.get(age)));
        }
    }

    @Test
    void shouldOnlyReferenceExistingParentKeys() {
        CompiledDataset ds = Specs.compile(Specs.example("shop.yaml"));
        Set<String> customers = column(ds, "customers", "customer_id");
        Set<String> orders = column(ds, "orders", "order_id");
        Map<String, String> priceByProduct = new HashMap<>();
        for (List<String> r : Gen.cells(ds, "products")) {
            priceByProduct.put(r.get(Gen.column(ds, "products", "product_id")), r.get(Gen.column(ds, "products", "price")));
        }
        assertThat(column(ds, "orders", "customer_id")).isSubsetOf(customers);
        List<List<String>> lines = Gen.cells(ds, "order_lines");
        int orderId = Gen.column(ds, "order_lines", "order_id");
        int lineNo = Gen.column(ds, "order_lines", "line_no");
        int product = Gen.column(ds, "order_lines", "product_id");
        int price = Gen.column(ds, "order_lines", "unit_price");
        Map<String, Integer> perOrder = new HashMap<>();
        String previous = null;
        for (List<String> r : lines) {
            assertThat(orders).contains(r.get(orderId));
            // the unit price is the referenced product's price: both come from one drawn product row
            assertThat(r.get(price)).isEqualTo(priceByProduct.get(r.get(product)));
            int n = perOrder.merge(r.get(orderId), 1, Integer::sum);
            assertThat(r.get(lineNo)).isEqualTo(Integer.toString(n));
            if (previous != null && !previous.equals(r.get(orderId))) {
                assertThat(Long.parseLong(r.get(orderId))).isGreaterThan(Long.parseLong(previous));
            }
            previous = r.get(orderId);
        }
        assertThat(perOrder.values()).allMatch(c -> c >= 1 && c <= 5);
        assertThat(perOrder.keySet()).isEqualTo(orders);
    }

    @Test
    void shouldPointSelfReferencesAtEarlierRowsAndCompositeKeysAtOneParentRow() {
        CompiledDataset ds = Specs.compile(Specs.example("generators.yaml"));
        List<List<String>> emps = Gen.cells(ds, "employees");
        for (List<String> r : emps) {
            if (r.get(2) != null) {
                assertThat(Long.parseLong(r.get(2))).isLessThan(Long.parseLong(r.get(0)));
            }
        }
        assertThat(emps.get(0).get(2)).isNull();
        Set<String> visits = Gen.cells(ds, "visits").stream().map(r -> r.get(0) + "/" + r.get(1)).collect(Collectors.toSet());
        for (List<String> r : Gen.cells(ds, "visit_notes")) {
            assertThat(visits).contains(r.get(0) + "/" + r.get(1));
        }
    }

    @Test
    void shouldDeriveZhEmailsFromThePinyinOfTheName() {
        CompiledDataset ds = Specs.compile(Specs.example("people-zh.yaml"));
        Dictionary zh = Dictionary.forLocale("zh_CN");
        Map<String, String> pinyin = new HashMap<>();
        for (String[] s : zh.rows("surname")) {
            pinyin.put(s[0], s[1]);
        }
        int surname = Gen.column(ds, "person", "surname");
        int email = Gen.column(ds, "person", "email");
        for (List<String> r : Gen.cells(ds, "person")) {
            assertThat(r.get(email)).matches("[a-z0-9._]+@[a-z0-9.]+").contains(pinyin.get(r.get(surname)));
        }
    }

    static Set<String> column(CompiledDataset ds, String table, String column) {
        int c = Gen.column(ds, table, column);
        return Gen.cells(ds, table).stream().map(r -> r.get(c)).collect(Collectors.toCollection(HashSet::new));
    }

}
