package dev.sqlkit.bench;

import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import dev.sqlkit.dal.Dal;
import dev.sqlkit.dal.NewPost;
import dev.sqlkit.dal.Page;
import dev.sqlkit.dal.PageRequest;
import dev.sqlkit.dal.Post;

/**
 * {@code PostRepository} against hand-written JDBC, pairwise per operation ({@code <operation>_dal}
 * next to {@code <operation>_jdbc}), on one pool and one seeded table. Compare the two figures of a
 * pair from the same run; absolute times depend on the machine and the server.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {
        "-Xms512m", "-Xmx512m",
        "-Dorg.jooq.no-logo=true", "-Dorg.jooq.no-tips=true",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Threads(1)
public class PostBenchmarks {

    private static final int PAGE_SIZE = 20;

    /**
     * Connector/J's prepared statements: {@code server} (useServerPrepStmts=true, statements prepared
     * once per connection and cached) or {@code client} (the driver's default: the SQL text with the
     * values inlined is sent). Both sides always share the setting. {@code -p preparedStatements=client,server}
     */
    @Param("server")
    public String preparedStatements;

    private BenchDatabase database;
    private Dal dal;
    private JdbcPosts jdbc;
    private long[] ids;
    private long authorId;

    @Setup
    public void open() {
        database = BenchDatabase.open(preparedStatements);
        dal = Dal.create(database.dataSource());
        jdbc = new JdbcPosts(database.dataSource());
        ids = database.seededIds();
        authorId = database.authorId();
    }

    @TearDown
    public void close() {
        database.close();
    }

    @Benchmark
    public Optional<Post> findById_dal() {
        return dal.posts().findById(randomId());
    }

    @Benchmark
    public Optional<Post> findById_jdbc() {
        return jdbc.findById(randomId());
    }

    @Benchmark
    public Post create_dal() {
        return dal.posts().create(newPost());
    }

    @Benchmark
    public Post create_jdbc() {
        return jdbc.create(newPost());
    }

    @Benchmark
    public Page<Post> listPage_dal() {
        return dal.posts().list(null, randomPage());
    }

    @Benchmark
    public Page<Post> listPage_jdbc() {
        return jdbc.list(randomPage());
    }

    private long randomId() {
        return ids[ThreadLocalRandom.current().nextInt(ids.length)];
    }

    /** A page that is always full and always has a next page, somewhere in the seeded rows. */
    private PageRequest randomPage() {
        return PageRequest.after(ids[ThreadLocalRandom.current().nextInt(ids.length - PAGE_SIZE - 1)], PAGE_SIZE);
    }

    private NewPost newPost() {
        return new NewPost("Benchmark post", BenchDatabase.POST_BODY, false, authorId);
    }
}
