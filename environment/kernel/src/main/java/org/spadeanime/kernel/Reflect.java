package org.spadeanime.kernel;

import java.lang.invoke.MethodType;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Calls methods of library objects the kernel does not link against. Methods are looked up on the
 * public type that declares them (an interface such as DJL's NDArray), never on a possibly non-public
 * implementation class.
 */
final class Reflect {

    private Reflect() {}

    /** {@code target.name(args)}, with the public method of {@code owner} whose parameters take {@code args}. */
    static Object call(Class<?> owner, Object target, String name, Object... args) {
        for (Method m : owner.getMethods()) {
            if (m.getName().equals(name) && accepts(m.getParameterTypes(), args)) {
                try {
                    return m.invoke(target, args);
                } catch (InvocationTargetException e) {
                    Throwable cause = e.getCause();
                    throw cause instanceof RuntimeException re ? re : new IllegalStateException(cause);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(owner.getName() + "." + name + " is not accessible", e);
                }
            }
        }
        throw new IllegalArgumentException(owner.getName() + " has no method " + name + " with " + args.length + " arguments");
    }

    private static boolean accepts(Class<?>[] parameters, Object[] args) {
        if (parameters.length != args.length) {
            return false;
        }
        for (int i = 0; i < args.length; i++) {
            Class<?> p = parameters[i].isPrimitive() ? MethodType.methodType(parameters[i]).wrap().returnType() : parameters[i];
            if (args[i] == null ? parameters[i].isPrimitive() : !p.isInstance(args[i])) {
                return false;
            }
        }
        return true;
    }

    /** A public static method of the class {@code className}, loaded by the loader of {@code sibling}. */
    static Object callStatic(Class<?> sibling, String className, String name, Object... args) {
        try {
            Class<?> owner = Class.forName(className, true, sibling.getClassLoader());
            return call(owner, null, name, args);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(className + " is not on the class path of " + sibling.getName(), e);
        }
    }
}
