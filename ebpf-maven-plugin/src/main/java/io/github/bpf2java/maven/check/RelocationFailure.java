package io.github.bpf2java.maven.check;

import io.github.bpf2java.ebpf.spec.CoreRelocationKind;

/**
 * A CO-RE relocation of a built object that one kernel cannot satisfy.
 *
 * @param object       the object's path below the resource output directory
 * @param program      the program (or subprogram) whose instruction carries the relocation
 * @param instruction  the instruction's index in that function
 * @param kind         what the relocation asks for
 * @param accessString the access as C writes it, e.g. {@code task_struct.pid}
 * @param localType    the type in the object the access starts from, e.g. {@code struct task_struct}
 * @param reason       why the kernel's types do not satisfy it
 */
public record RelocationFailure(String object, String program, int instruction, CoreRelocationKind kind,
        String accessString, String localType, String reason) {

    /**
     * The relocation itself, without the reason, which may differ between kernels; worded as the runtime's load-time
     * error ({@code CoreFailure.describe()}), so the build and the loader name a relocation the same way.
     */
    String relocation() {
        return object + ": program '" + program + "' instruction " + instruction + ": " + kind + " of " + accessString
                + " (local type " + localType + ")";
    }
}
