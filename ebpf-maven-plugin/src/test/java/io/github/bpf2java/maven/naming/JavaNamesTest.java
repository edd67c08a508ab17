package io.github.bpf2java.maven.naming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class JavaNamesTest {

    @Test
    void camelCasesSnakeCaseFileNamesIntoClassNames() {
        assertEquals("TracepointInC", JavaNames.typeName("tracepoint_in_c"));
        assertEquals("XdpDrop", JavaNames.typeName("xdp-drop"));
        assertEquals("Counter", JavaNames.typeName("counter"));
    }

    @Test
    void objectClassNamesNeverHideJavaLangNorTheNestedOptions() {
        assertEquals("StringBpf", JavaNames.objectClassName("string"));
        assertEquals("OverrideBpf", JavaNames.objectClassName("override"));
        assertEquals("ObjectBpf", JavaNames.objectClassName("object"));
        assertEquals("RecordBpf", JavaNames.objectClassName("record"));
        assertEquals("OptionsBpf", JavaNames.objectClassName("options"));
        assertEquals("Counter", JavaNames.objectClassName("counter"));
        assertEquals("StringUtils", JavaNames.objectClassName("string_utils"));
    }

    @Test
    void prefixesNamesStartingWithADigit() {
        assertEquals("_1stProbe", JavaNames.typeName("1st_probe"));
        assertEquals("_64bit", JavaNames.memberName("64bit"));
    }

    @Test
    void camelCasesMembersAndEscapesKeywords() {
        assertEquals("handleExec", JavaNames.memberName("handle_exec"));
        assertEquals("maxEntries", JavaNames.memberName("MAX_ENTRIES"));
        assertEquals("class_", JavaNames.memberName("class"));
        assertEquals("int_", JavaNames.memberName("int"));
        assertEquals("pid", JavaNames.memberName("__pid"));
    }

    @Test
    void derivedNamesDropTheKeywordEscape() {
        assertEquals("newUnsigned", JavaNames.derivedName(JavaNames.memberName("new"), "Unsigned"));
        assertEquals("classEnum", JavaNames.derivedName("class_", "Enum"));
        assertEquals("countUnsigned", JavaNames.derivedName("count", "Unsigned"));
    }

    @Test
    void makesEnumeratorConstants() {
        assertEquals("TASK_RUNNING", JavaNames.constantName("TASK_RUNNING"));
        assertEquals("STATE_ON", JavaNames.constantName("state_on"));
    }

    @Test
    void sanitizesGroupIdsIntoPackages() {
        assertEquals("com.example_corp.ebpf", JavaNames.sanitizePackage("com.Example-Corp.ebpf"));
        assertEquals("org._1st.int_.ebpf", JavaNames.sanitizePackage("org.1st.int.ebpf"));
        assertTrue(JavaNames.isPackageName("com.example.ebpf"));
        assertFalse(JavaNames.isPackageName("com.example.class"));
        assertFalse(JavaNames.isPackageName("com..example"));
        assertFalse(JavaNames.isPackageName("com.1example"));
    }

    @Test
    void scopeSuffixesTakenNames() {
        NameScope scope = new NameScope(Set.of("close"));
        assertEquals("close2", scope.allocate("close"));
        assertEquals("counts", scope.allocate("counts"));
        assertEquals("counts2", scope.allocate("counts"));
    }
}
