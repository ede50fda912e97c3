package dev.sqlkit.dal;

/** No row of the named entity has the given id (or key). */
public final class NotFoundException extends DalException {

    private final String entity;
    private final String key;

    public NotFoundException(String entity, Object key) {
        super(entity + " " + key + " not found");
        this.entity = entity;
        this.key = String.valueOf(key);
    }

    /** {@code org}, {@code post} or {@code user}. */
    public String entity() {
        return entity;
    }

    /** The id or key that was looked up. */
    public String key() {
        return key;
    }
}
