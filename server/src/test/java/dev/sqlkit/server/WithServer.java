package dev.sqlkit.server;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import dev.sqlkit.dal.testing.DatabaseExtension;

/**
 * The real server ({@link RunningServer#on}) over the test class's own database, started once per
 * class; constructors and methods receive it as a {@link RunningServer} parameter.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith({DatabaseExtension.class, WithServer.Extension.class})
@interface WithServer {

    final class Extension implements BeforeAllCallback, ParameterResolver {

        private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(WithServer.class);

        /** JUnit closes the server with the class's context, before the database stored ahead of it. */
        @Override
        public void beforeAll(ExtensionContext context) {
            context.getStore(NAMESPACE).put(RunningServer.class, RunningServer.on(DatabaseExtension.database(context)));
        }

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == RunningServer.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            // A store lookup falls back to the enclosing contexts' stores: a method's finds its class's.
            RunningServer server = context.getStore(NAMESPACE).get(RunningServer.class, RunningServer.class);
            if (server == null) {
                throw new IllegalStateException("@WithServer must be on the test class");
            }
            return server;
        }
    }
}
