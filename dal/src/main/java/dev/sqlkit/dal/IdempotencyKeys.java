package dev.sqlkit.dal;

import static dev.sqlkit.db.Tables.IDEMPOTENCY_KEYS;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

import org.jooq.DSLContext;
import org.jooq.Record5;

import dev.sqlkit.dal.TransactionConflictException.Reason;

/**
 * The table behind {@link Dal#idempotent}: each applied write's key, with the reply it got, until
 * the key expires.
 *
 * <p>Why it is safe under concurrency: the key is looked up with a locking read and written in the
 * write's own transaction. Two requests with the same key at once cannot both commit: on one InnoDB
 * server the second waits on the first's lock, or one of them is a deadlock victim; on a Galera
 * cluster the second to commit loses certification on the key's primary key. Either way the loser
 * rolls back whole (its write included) and the dal's retry finds the winner's key and replays its
 * reply.
 */
final class IdempotencyKeys {

    /** Expired keys are deleted in batches of this many rows, each batch a short transaction of its own. */
    static final int PURGE_BATCH = 1_000;

    private IdempotencyKeys() {
    }

    /** In the transaction of {@code trx}: the stored reply of {@code key}, else {@code write}'s, stored under the key. */
    static Reply applyOnce(DSLContext trx, IdempotencyKey key, Duration ttl, Supplier<Reply> write) {
        byte[] keyDigest = key.keyDigest();
        Instant now = Instant.now();
        Record5<byte[], Short, String, byte[], Instant> stored = trx
                .select(IDEMPOTENCY_KEYS.REQUEST_DIGEST, IDEMPOTENCY_KEYS.STATUS, IDEMPOTENCY_KEYS.LOCATION,
                        IDEMPOTENCY_KEYS.BODY, IDEMPOTENCY_KEYS.EXPIRES_AT)
                .from(IDEMPOTENCY_KEYS)
                .where(IDEMPOTENCY_KEYS.KEY_DIGEST.eq(keyDigest))
                .forUpdate()
                .fetchOne();
        boolean isLive = stored != null && stored.value5().isAfter(now);
        if (isLive) {
            if (!key.isFor(stored.value1())) {
                throw new IdempotencyKeyReusedException(key);
            }
            return new Reply(stored.value2(), stored.value3(), stored.value4(), true);
        }
        Reply reply = write.get();
        if (stored != null) {
            // Expired but not yet purged: the key starts afresh.
            trx.deleteFrom(IDEMPOTENCY_KEYS).where(IDEMPOTENCY_KEYS.KEY_DIGEST.eq(keyDigest)).execute();
        }
        try {
            trx.insertInto(IDEMPOTENCY_KEYS)
                    .set(IDEMPOTENCY_KEYS.KEY_DIGEST, keyDigest)
                    .set(IDEMPOTENCY_KEYS.REQUEST_DIGEST, key.requestDigest())
                    .set(IDEMPOTENCY_KEYS.STATUS, (short) reply.status())
                    .set(IDEMPOTENCY_KEYS.LOCATION, reply.location())
                    .set(IDEMPOTENCY_KEYS.BODY, reply.body())
                    .set(IDEMPOTENCY_KEYS.CREATED_AT, now)
                    .set(IDEMPOTENCY_KEYS.EXPIRES_AT, now.plus(ttl))
                    .execute();
        } catch (ConflictException sameKeyCommittedMeanwhile) {
            // Where the locking read took no gap lock (sessions in READ COMMITTED), two requests
            // with one key can both find none; the second insert then meets the first's key. It is
            // the same race as a deadlock or a lost certification, and ends the same way: this
            // attempt rolls back, and the retry replays the other request's reply.
            throw new TransactionConflictException(Reason.DEADLOCK, 1, sameKeyCommittedMeanwhile);
        }
        return reply;
    }

    /** Deletes up to {@link #PURGE_BATCH} keys that expired before now; how many it deleted. */
    static int purgeBatch(DSLContext dsl) {
        return dsl.deleteFrom(IDEMPOTENCY_KEYS)
                .where(IDEMPOTENCY_KEYS.EXPIRES_AT.lt(Instant.now()))
                .orderBy(IDEMPOTENCY_KEYS.EXPIRES_AT)
                .limit(PURGE_BATCH)
                .execute();
    }
}
