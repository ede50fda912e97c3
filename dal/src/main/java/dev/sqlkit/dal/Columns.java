package dev.sqlkit.dal;

import org.jooq.DSLContext;
import org.jooq.Record5;
import org.jooq.Record6;
import org.jooq.Row5;
import org.jooq.Row6;
import org.jooq.SelectSelectStep;

/**
 * An entity's one column list as a flat select, for queries that read the entity alone (finds and
 * pages: GET /posts/{id} is the benchmarked path). Each repository keeps its columns as one
 * {@code Row}; its nested projection ({@code row.mapping(...)}) serves joins and the create's
 * read-back. Selecting the nested projection on its own would make jOOQ render, and allocate, the
 * nested record's aliased fields anew on every call: measured, that nearly doubled jOOQ's CPU time
 * per read.
 */
final class Columns {

    private Columns() {
    }

    static <T1, T2, T3, T4, T5> SelectSelectStep<Record5<T1, T2, T3, T4, T5>> select(DSLContext dsl,
            Row5<T1, T2, T3, T4, T5> columns) {
        return dsl.select(columns.field1(), columns.field2(), columns.field3(), columns.field4(), columns.field5());
    }

    static <T1, T2, T3, T4, T5, T6> SelectSelectStep<Record6<T1, T2, T3, T4, T5, T6>> select(DSLContext dsl,
            Row6<T1, T2, T3, T4, T5, T6> columns) {
        return dsl.select(columns.field1(), columns.field2(), columns.field3(), columns.field4(), columns.field5(),
                columns.field6());
    }
}
