package dev.sqlkit.dal;

import java.util.List;

/** An organisation and all its members, in id order, read in one statement. */
public record OrgWithMembers(Org org, List<User> members) {

    public OrgWithMembers {
        members = List.copyOf(members);
    }
}
