package io.schemagate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.schemagate.testsupport.Corpora;
import io.schemagate.testsupport.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The change policy's rules with PostgreSQL's own parser (libpg_query, built by testbed/tools/libpg-query.sh). */
class ChangeReviewTest {
    private static ChangeReview review;

    @BeforeAll
    static void parser() {
        review = new ChangeReview(PostgresParser.load(Tools.libpgQuery()));
    }

    @Test
    void everyRiskyStatementIsFoundWithItsScriptLineAndClass() {
        List<Finding> findings = review.review(List.of(new PendingScript("V5__cleanup.sql", """
                -- Tidy up before the 2.0 release.
                DROP TABLE legacy_orders;
                DROP SCHEMA audit CASCADE;
                DROP TYPE order_state;
                ALTER TABLE orders DROP COLUMN note;
                TRUNCATE sessions;
                DELETE FROM carts;
                UPDATE customers SET tier = 'gold';
                ALTER TABLE customers RENAME TO clients;
                ALTER TABLE orders RENAME COLUMN total TO amount;
                ALTER TABLE orders ALTER COLUMN amount TYPE bigint;
                ALTER TABLE orders ALTER COLUMN state DROP DEFAULT;
                CREATE INDEX orders_by_customer ON orders (customer);
                ALTER TABLE orders ADD COLUMN region text NOT NULL;
                ALTER TABLE orders ALTER COLUMN region SET NOT NULL;
                ALTER TABLE orders ADD CONSTRAINT fk_customer FOREIGN KEY (customer) REFERENCES clients (id);
                ALTER TABLE orders ADD CONSTRAINT positive CHECK (amount >= 0);
                """)));

        assertThat(findings)
                .extracting(Finding::rule, Finding::riskClass, Finding::line)
                .containsExactly(
                        tuple("drop-table", RiskClass.destructive, 2),
                        tuple("drop-schema", RiskClass.destructive, 3),
                        tuple("drop-type", RiskClass.destructive, 4),
                        tuple("drop-column", RiskClass.destructive, 5),
                        tuple("truncate", RiskClass.destructive, 6),
                        tuple("delete-without-where", RiskClass.destructive, 7),
                        tuple("update-without-where", RiskClass.destructive, 8),
                        tuple("rename-table", RiskClass.breaking, 9),
                        tuple("rename-column", RiskClass.breaking, 10),
                        tuple("alter-column-type", RiskClass.breaking, 11),
                        tuple("column-type-rewrite", RiskClass.locking, 11),
                        tuple("drop-default", RiskClass.breaking, 12),
                        tuple("create-index-blocking", RiskClass.locking, 13),
                        tuple("add-column-not-null-without-default", RiskClass.locking, 14),
                        tuple("set-not-null", RiskClass.locking, 15),
                        tuple("add-foreign-key-validated", RiskClass.locking, 16),
                        tuple("add-check-validated", RiskClass.locking, 17));
        assertThat(findings).allSatisfy(finding -> {
            assertThat(finding.script()).isEqualTo("V5__cleanup.sql");
            assertThat(finding.why()).isNotBlank();
            assertThat(finding.instead()).isNotBlank();
            assertThat(finding.allowedByScript()).isFalse();
        });
        assertThat(findings.get(0).statement()).isEqualTo("DROP TABLE legacy_orders");
    }

    @Test
    void theSafeFormsAndTablesNewInThePlanAreNoRisk() {
        List<Finding> findings = review.review(
                List.of(new PendingScript("V1__orders.sql", """
                        CREATE TABLE app.orders (id bigint PRIMARY KEY, customer bigint, state text DEFAULT 'new');
                        CREATE INDEX orders_by_customer ON orders (customer);
                        ALTER TABLE app.orders ADD COLUMN region text NOT NULL;
                        ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (customer) REFERENCES customers (id);
                        """), new PendingScript("V2__safe.sql", """
                        CREATE INDEX CONCURRENTLY customers_by_email ON customers (email);
                        ALTER TABLE customers ADD COLUMN tier text NOT NULL DEFAULT 'basic';
                        ALTER TABLE customers ADD CONSTRAINT tier_known CHECK (tier <> '') NOT VALID;
                        ALTER TABLE invoices ADD CONSTRAINT fk_customer FOREIGN KEY (customer)
                            REFERENCES customers (id) NOT VALID;
                        ALTER TABLE invoices VALIDATE CONSTRAINT fk_customer;
                        DELETE FROM sessions WHERE expires < now();
                        UPDATE customers SET tier = 'gold' WHERE spend > 1000;
                        CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
                        BEGIN DELETE FROM audit_queue; RETURN NEW; END $$;
                        INSERT INTO settings VALUES ('a;b', $tag$ DROP TABLE x; $tag$);
                        """)));

        assertThat(findings).isEmpty();
    }

    @Test
    void aScriptCanAcceptARuleOrAClassAndTheFindingSaysSo() {
        List<Finding> findings = review.review(List.of(new PendingScript("V7__drop_note.sql", """
                -- schemagate:allow drop-column
                --   schemagate:allow locking
                ALTER TABLE orders DROP COLUMN note;
                CREATE INDEX orders_by_state ON orders (state);
                DROP TABLE carts;
                """)));

        assertThat(findings)
                .extracting(Finding::rule, Finding::allowedByScript)
                .containsExactly(
                        tuple("drop-column", true), tuple("create-index-blocking", true), tuple("drop-table", false));
    }

    @Test
    void aScriptThePostgresParserRefusesIsFoundWhereItFails() {
        List<Finding> findings = review.review(List.of(
                new PendingScript("V8__typo.sql", "CREATE TABLE a (id int);\nALTR TABLE a ADD COLUMN b int;\n")));

        assertThat(findings).singleElement().satisfies(finding -> {
            assertThat(finding.rule()).isEqualTo("syntax-error");
            assertThat(finding.line()).isEqualTo(2);
            assertThat(finding.why()).contains("syntax error at or near \"ALTR\"");
        });
    }

    @Test
    void publishedMigrationSetsParseWholeWithPostgresOwnParser() throws Exception {
        List<PendingScript> scripts = new ArrayList<>();
        for (String folder :
                List.of("flyway-dependencytrack", "sqlx-zero2prod", "sqlx-quickwit", "golang-migrate-harbor")) {
            try (Stream<Path> files = Files.walk(Corpora.folder(folder))) {
                for (Path file : files.filter(path -> path.toString().endsWith(".sql"))
                        .sorted()
                        .toList()) {
                    scripts.add(new PendingScript(file.getFileName().toString(), Files.readString(file)));
                }
            }
        }

        List<Finding> findings = review.review(scripts);

        assertThat(scripts).hasSizeGreaterThan(50);
        assertThat(findings).extracting(Finding::rule).contains("drop-table", "create-index-blocking");
        // Two of quickwit's down scripts say DROP IF EXISTS COLUMN, which PostgreSQL does not accept
        // (it is DROP COLUMN IF EXISTS): its parser finds them, and nothing else.
        assertThat(findings)
                .filteredOn(finding -> finding.rule().equals("syntax-error"))
                .extracting(Finding::script, Finding::line)
                .containsExactlyInAnyOrder(
                        tuple("19_add-split-node-id-field.down.sql", 4),
                        tuple("20_add-shard-doc-mapping-uid-field.down.sql", 2));
    }

    @Test
    void aMissingLibraryIsNamed() {
        assertThatThrownBy(() -> PostgresParser.load(Path.of("/nowhere/libpg_query.so")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("/nowhere/libpg_query.so");
    }
}
