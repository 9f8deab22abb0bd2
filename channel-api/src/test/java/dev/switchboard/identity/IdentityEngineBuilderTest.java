package dev.switchboard.identity;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IdentityEngineBuilderTest {

    @Test
    void outOfRangeOptionsAreRejectedAtBuildNamingTheOption() {
        assertThatThrownBy(() -> IdentityEngine.builder().commonNameCustomers(0).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("commonNameCustomers")
                .hasMessageContaining("0");
        assertThatThrownBy(() -> IdentityEngine.builder().sharedPointCustomers(1).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("sharedPointCustomers")
                .hasMessageContaining("got 1");
        assertThatThrownBy(() -> IdentityEngine.builder().maxNameCandidates(-1).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("maxNameCandidates");
        assertThatThrownBy(() -> IdentityEngine.builder().suggestionThreshold(0).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("suggestionThreshold");
        assertThatThrownBy(() -> IdentityEngine.builder().suggestionThreshold(1.5).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("suggestionThreshold");
        assertThatThrownBy(() -> IdentityEngine.builder().nameCacheSize(-1).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("nameCacheSize");
    }

    @Test
    void boundaryValuesAreAccepted() {
        assertThatCode(() -> IdentityEngine.builder().commonNameCustomers(1).maxNameCandidates(0)
                .suggestionThreshold(1).nameCacheSize(0).build()).doesNotThrowAnyException();
        assertThatCode(() -> IdentityEngine.builder().sharedPointCustomers(2).build()).doesNotThrowAnyException();
        assertThatCode(() -> IdentityEngine.builder().commonNameCustomers(Integer.MAX_VALUE)
                .sharedPointCustomers(Integer.MAX_VALUE).build())
                .doesNotThrowAnyException();
    }
}
