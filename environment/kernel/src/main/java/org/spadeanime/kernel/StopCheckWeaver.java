package org.spadeanime.kernel;

import java.util.HashSet;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Rewrites the class files of notebook snippets so that every method starts with, and every backward
 * jump (a loop iteration) is preceded by, a call to {@link StopCheck#check()}. The same scheme as JDK 22+
 * JShell's local execution, done here so that interrupts work on JDK 17 and 21 too.
 */
final class StopCheckWeaver {

    private static final String OWNER = StopCheck.class.getName().replace('.', '/');

    private StopCheckWeaver() {}

    /**
     * The instrumented class file. Throws IllegalArgumentException for a class file version ASM does not
     * know yet (a newer JDK than this kernel was built for).
     */
    static byte[] instrument(byte[] classFile) {
        ClassReader reader = new ClassReader(classFile);
        // The inserted call takes and leaves nothing on the stack and adds no branch target, so neither
        // max stack nor stack map frames change: no COMPUTE_* (which would load classes).
        ClassWriter writer = new ClassWriter(reader, 0);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                    String[] exceptions) {
                return new CheckingMethod(super.visitMethod(access, name, descriptor, signature, exceptions));
            }
        }, 0);
        return writer.toByteArray();
    }

    private static final class CheckingMethod extends MethodVisitor {
        private final Set<Label> seen = new HashSet<>();

        CheckingMethod(MethodVisitor next) {
            super(Opcodes.ASM9, next);
        }

        @Override
        public void visitCode() {
            super.visitCode();
            check();
        }

        @Override
        public void visitLabel(Label label) {
            seen.add(label);
            super.visitLabel(label);
        }

        @Override
        public void visitJumpInsn(int opcode, Label label) {
            if (seen.contains(label)) {
                check();
            }
            super.visitJumpInsn(opcode, label);
        }

        private void check() {
            super.visitMethodInsn(Opcodes.INVOKESTATIC, OWNER, "check", "()V", false);
        }
    }
}
