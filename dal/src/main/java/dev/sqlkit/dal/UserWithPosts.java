package dev.sqlkit.dal;

import java.util.List;

/** A user and all the posts they wrote, in id order, read in one statement. */
public record UserWithPosts(User user, List<Post> posts) {

    public UserWithPosts {
        posts = List.copyOf(posts);
    }
}
