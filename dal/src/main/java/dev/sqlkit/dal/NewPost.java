package dev.sqlkit.dal;

/** A post to create. Use {@link #NewPost(String, String)} for an unpublished post without author. */
public record NewPost(String title, String body, boolean isPublished, Long authorId) {

    public NewPost(String title, String body) {
        this(title, body, false, null);
    }
}
