package dev.sqlkit.dal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.sqlkit.dal.testing.DatabaseExtension;

/** Every text column keeps emoji (4-byte UTF-8), CJK and right-to-left text exactly. */
@ExtendWith(DatabaseExtension.class)
class UnicodeTest {

    private static final String EMOJI = "\uD83D\uDE80\uD83D\uDC69\u200D\uD83D\uDCBB\uD83C\uDDFA\uD83C\uDDE6";
    private static final String CJK = "\u6F22\u5B57\u304B\u306A\uD55C\uAE00";
    private static final String RTL = "\u05E9\u05DC\u05D5\u05DD \u0645\u0631\u062D\u0628\u0627";
    private static final String MIXED = EMOJI + " " + CJK + " " + RTL + " \u00E9\u0301 \u0000end";

    private final Dal dal;

    UnicodeTest(Dal dal) {
        this.dal = dal;
    }

    @Test
    void orgColumns() {
        String name = MIXED + UUID.randomUUID();
        Org org = dal.orgs().create(new NewOrg(name, MIXED, "https://\u4F8B\u3048.test/" + EMOJI));
        Org read = dal.orgs().findByName(name).orElseThrow();
        assertEquals(name, read.name());
        assertEquals(MIXED, read.description());
        assertEquals("https://\u4F8B\u3048.test/" + EMOJI, read.url());
        assertEquals(org, read);
    }

    @Test
    void postColumns() {
        Post post = dal.posts().create(new NewPost(MIXED, MIXED.repeat(100)));
        Post read = dal.posts().findById(post.id()).orElseThrow();
        assertEquals(MIXED, read.title());
        assertEquals(MIXED.repeat(100), read.body());
    }

    @Test
    void userColumns() {
        String email = CJK + UUID.randomUUID() + "@\u4F8B\u3048.test";
        User user = dal.users().create(new NewUser(email, MIXED, null, null));
        User read = dal.users().findByEmail(email).orElseThrow();
        assertEquals(email, read.email());
        assertEquals(MIXED, read.name());
        assertEquals(user, read);
    }
}
