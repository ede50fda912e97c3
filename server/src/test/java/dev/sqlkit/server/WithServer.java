package dev.sqlkit.server;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.AfterAllCallback;
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

    final class Extension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

        private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(WithServer.class);

        @Override
        public void beforeAll(ExtensionContext context) {
            context.getStore(NAMESPACE).put(RunningServer.class, RunningServer.on(DatabaseExtension.database(context)));
        }

        @Override
        public void afterAll(ExtensionContext context) {
            RunningServer server = context.getStore(NAMESPACE).remove(RunningServer.class, RunningServer.class);
            if (server != null) {
                server.close();
            }
        }

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == RunningServer.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            for (ExtensionContext current = context; current != null; current = current.getParent().orElse(null)) {
                RunningServer server = current.getStore(NAMESPACE).get(RunningServer.class, RunningServer.class);
                if (server != null) {
                    return server;
                }
            }
            throw new IllegalStateException("@WithServer must be on the test class");
        }
    }
}
