package com.example.books;

import static com.example.books.db.Tables.BOOKS;
import static com.example.books.db.Tables.LOANS;

import java.time.Instant;
import java.util.List;

import org.jooq.DSLContext;

/** The library's catalogue, written against the classes generated from this project's migrations. */
public final class Catalog {

    /** A book as the catalogue shows it. */
    public record Book(long id, String title, String author, boolean isAvailable) {
    }

    private final DSLContext dsl;

    public Catalog(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** Adds a book, available; one transaction, so the generated id is read on the inserting connection. */
    public Book add(String title, String author) {
        return dsl.transactionResult(trx -> {
            trx.dsl().insertInto(BOOKS, BOOKS.TITLE, BOOKS.AUTHOR)
                    .values(title, author)
                    .execute();
            long id = trx.dsl().lastID().longValue();
            return trx.dsl().select(BOOKS.ID, BOOKS.TITLE, BOOKS.AUTHOR, BOOKS.IS_AVAILABLE)
                    .from(BOOKS)
                    .where(BOOKS.ID.eq(id))
                    .fetchSingle(row -> new Book(row.value1(), row.value2(), row.value3(), row.value4()));
        });
    }

    /** Lends the book out: it is no longer available until it comes back. */
    public void lend(long bookId, String borrower, Instant at) {
        dsl.transaction(trx -> {
            trx.dsl().insertInto(LOANS, LOANS.BOOK_ID, LOANS.BORROWER, LOANS.LOANED_AT)
                    .values(bookId, borrower, at)
                    .execute();
            trx.dsl().update(BOOKS)
                    .set(BOOKS.IS_AVAILABLE, false)
                    .where(BOOKS.ID.eq(bookId))
                    .execute();
        });
    }

    public List<Book> available() {
        return dsl.select(BOOKS.ID, BOOKS.TITLE, BOOKS.AUTHOR, BOOKS.IS_AVAILABLE)
                .from(BOOKS)
                .where(BOOKS.IS_AVAILABLE)
                .orderBy(BOOKS.ID)
                .fetch(row -> new Book(row.value1(), row.value2(), row.value3(), row.value4()));
    }
}
