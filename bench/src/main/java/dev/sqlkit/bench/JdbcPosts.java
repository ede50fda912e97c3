package dev.sqlkit.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import dev.sqlkit.dal.NewPost;
import dev.sqlkit.dal.Page;
import dev.sqlkit.dal.PageRequest;
import dev.sqlkit.dal.Post;

/**
 * The baseline: what a careful hand-written JDBC version of {@code PostRepository}'s three calls
 * looks like, returning the dal's own types so that both sides do the same work for the caller.
 * No input validation and no error translation: that is part of what the dal costs.
 */
final class JdbcPosts {

    private static final String COLUMNS = "SELECT id, title, body, published, author_id, created_at FROM posts";
    private static final String FIND_BY_ID = COLUMNS + " WHERE id = ?";
    private static final String LIST_AFTER = COLUMNS + " WHERE id > ? ORDER BY id LIMIT ?";
    private static final String INSERT = "INSERT INTO posts (title, body, published, author_id) VALUES (?, ?, ?, ?)";
    private static final String INSERT_RETURNING = INSERT + " RETURNING id, title, body, published, author_id, created_at";

    private final DataSource dataSource;
    private final boolean mariaDb;

    JdbcPosts(DataSource dataSource) {
        this.dataSource = dataSource;
        try (Connection connection = dataSource.getConnection()) {
            mariaDb = connection.getMetaData().getDatabaseProductVersion().contains("MariaDB");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    Optional<Post> findById(long id) {
        try (Connection connection = dataSource.getConnection()) {
            return findById(connection, id);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * On MariaDB one INSERT ... RETURNING (run with execute(): Connector/J refuses executeQuery for
     * an INSERT); on MySQL an insert, then the row read back on the same connection.
     */
    Post create(NewPost post) {
        try (Connection connection = dataSource.getConnection()) {
            if (mariaDb) {
                try (PreparedStatement insert = connection.prepareStatement(INSERT_RETURNING)) {
                    bind(insert, post);
                    insert.execute();
                    try (ResultSet row = insert.getResultSet()) {
                        row.next();
                        return post(row);
                    }
                }
            }
            long id;
            try (PreparedStatement insert = connection.prepareStatement(INSERT, Statement.RETURN_GENERATED_KEYS)) {
                bind(insert, post);
                insert.executeUpdate();
                try (ResultSet keys = insert.getGeneratedKeys()) {
                    keys.next();
                    id = keys.getLong(1);
                }
            }
            return findById(connection, id).orElseThrow();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Keyset page: one row more than asked tells whether there is a next page. */
    Page<Post> list(PageRequest page) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(LIST_AFTER)) {
            select.setLong(1, page.afterId() == null ? 0 : page.afterId());
            select.setInt(2, page.limit() + 1);
            List<Post> posts = new ArrayList<>(page.limit() + 1);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    posts.add(post(rows));
                }
            }
            if (posts.size() <= page.limit()) {
                return new Page<>(posts, null);
            }
            List<Post> items = posts.subList(0, page.limit());
            return new Page<>(items, items.get(items.size() - 1).id());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Optional<Post> findById(Connection connection, long id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(FIND_BY_ID)) {
            select.setLong(1, id);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(post(row)) : Optional.empty();
            }
        }
    }

    private static void bind(PreparedStatement insert, NewPost post) throws SQLException {
        insert.setString(1, post.title());
        insert.setString(2, post.body());
        insert.setBoolean(3, post.isPublished());
        if (post.authorId() == null) {
            insert.setNull(4, Types.BIGINT);
        } else {
            insert.setLong(4, post.authorId());
        }
    }

    private static Post post(ResultSet row) throws SQLException {
        return new Post(
                row.getLong(1),
                row.getString(2),
                row.getString(3),
                row.getBoolean(4),
                row.getObject(5, Long.class),
                // DATETIME holds UTC (the sessions run in UTC), as the generated converter assumes.
                row.getObject(6, LocalDateTime.class).toInstant(ZoneOffset.UTC));
    }
}
