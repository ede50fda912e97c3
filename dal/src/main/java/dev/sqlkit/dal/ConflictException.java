package dev.sqlkit.dal;

import dev.sqlkit.dal.internal.Names;

/** A write would break a uniqueness rule, e.g. a second org with the same name. */
public final class ConflictException extends DalException {

    private final String entity;
    private final String field;
    private final String value;

    public ConflictException(String entity, String field, String value, Throwable cause) {
        super(Names.withArticle(entity) + " with " + field + " '" + value + "' already exists", cause);
        this.entity = entity;
        this.field = field;
        this.value = value;
    }

    public String entity() {
        return entity;
    }

    /** The record component that must be unique, e.g. {@code name} or {@code email}. */
    public String field() {
        return field;
    }

    /** The duplicate value as the database reported it (MySQL cuts it at 64 characters). */
    public String value() {
        return value;
    }
}
