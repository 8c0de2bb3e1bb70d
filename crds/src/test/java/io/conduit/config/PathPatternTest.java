package io.conduit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PathPatternTest {

    @Nested
    class Parsing {
        @ParameterizedTest
        @ValueSource(strings = {"upload", "", "files/**", "{id}"})
        void requiresALeadingSlash(String path) {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> PathPattern.parse(path))
                    .withMessage("path '" + path + "' must start with /");
        }

        @Test
        void rejectsNull() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> PathPattern.parse(null))
                    .withMessageContaining("must start with /");
        }

        @ParameterizedTest
        @ValueSource(strings = {"/files/**/x", "/**/files", "/a/**/**"})
        void allowsDoubleStarOnlyAsTheLastSegment(String path) {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> PathPattern.parse(path))
                    .withMessage("path '" + path + "': ** may only be the last segment");
        }

        @Test
        void rejectsAVariableUsedTwice() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> PathPattern.parse("/orders/{id}/items/{id}"))
                    .withMessage("path '/orders/{id}/items/{id}': variable {id} appears twice");
        }

        @ParameterizedTest
        @ValueSource(strings = {"/orders/{id", "/orders/{id}x", "/orders/{1id}", "/orders/{}", "/orders/{a-b}"})
        void rejectsVariablesThatAreNotAWholeSegment(String path) {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> PathPattern.parse(path))
                    .withMessageStartingWith("path '" + path + "': segment '")
                    .withMessageEndingWith("' must be a whole {variable} made of letters, digits and _");
        }

        @ParameterizedTest
        @ValueSource(strings = {"/a b", "/orders/x{id}", "/files/a\"b", "/q?x=1", "/frag#1", "/back\\slash", "/x}"})
        void rejectsSegmentsWithCharactersAPathCannotHold(String path) {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> PathPattern.parse(path))
                    .withMessageEndingWith("has characters a path cannot hold");
        }

        @ParameterizedTest
        @ValueSource(strings = {"//x", "/a//b"})
        void rejectsEmptySegmentsInTheMiddle(String path) {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> PathPattern.parse(path))
                    .withMessage("path '" + path + "' has an empty segment");
        }

        @Test
        void exposesVariablesInOrderAndPrefixness() {
            PathPattern p = PathPattern.parse("/t/{tenant}/orders/{orderId}/**");
            assertThat(p.variables()).containsExactly("tenant", "orderId");
            assertThat(p.isPrefix()).isTrue();
            assertThat(PathPattern.parse("/upload").isPrefix()).isFalse();
            assertThat(PathPattern.parse("/upload").variables()).isEmpty();
            assertThat(p).hasToString("/t/{tenant}/orders/{orderId}/**");
        }
    }

    @Nested
    class Matching {
        @Test
        void exactMatchesOnlyItself() {
            PathPattern p = PathPattern.parse("/upload");
            assertThat(p.match("/upload")).contains(Map.of());
            assertThat(p.match("/upload/")).isEmpty();
            assertThat(p.match("/upload/x")).isEmpty();
            assertThat(p.match("/uploads")).isEmpty();
            assertThat(p.match("/")).isEmpty();
        }

        @Test
        void rootMatchesOnlyRoot() {
            PathPattern p = PathPattern.parse("/");
            assertThat(p.match("/")).contains(Map.of());
            assertThat(p.match("/x")).isEmpty();
        }

        @Test
        void templateBindsEachVariableToOneSegment() {
            PathPattern p = PathPattern.parse("/t/{tenant}/orders/{id}");
            assertThat(p.match("/t/acme/orders/42")).contains(Map.of("tenant", "acme", "id", "42"));
            assertThat(p.match("/t/acme/orders/42/items")).isEmpty();
            assertThat(p.match("/t/acme/orders")).isEmpty();
            assertThat(p.match("/x/acme/orders/42")).isEmpty();
        }

        @Test
        void variablesArePercentDecoded() {
            assertThat(PathPattern.parse("/orders/{id}").match("/orders/a%2Fb%20c%C3%A9"))
                    .contains(Map.of("id", "a/b cé"));
        }

        @Test
        void plusIsAPlusInAPathNotASpace() {
            assertThat(PathPattern.parse("/orders/{id}").match("/orders/a+b")).contains(Map.of("id", "a+b"));
            assertThat(PathPattern.parse("/orders/{id}").match("/orders/a+b%20c")).contains(Map.of("id", "a+b c"));
        }

        @Test
        void aMalformedEscapeDoesNotMatchRatherThanFail() {
            assertThat(PathPattern.parse("/orders/{id}").match("/orders/%zz")).isEmpty();
        }

        @Test
        void anEmptySegmentDoesNotBindAVariable() {
            PathPattern p = PathPattern.parse("/orders/{id}");
            assertThat(p.match("/orders/")).isEmpty();
            assertThat(PathPattern.parse("/orders/{id}/items").match("/orders//items")).isEmpty();
        }

        @Test
        void prefixMatchesItsBaseAndEverythingBelow() {
            PathPattern p = PathPattern.parse("/files/**");
            assertThat(p.match("/files")).contains(Map.of());
            assertThat(p.match("/files/")).contains(Map.of());
            assertThat(p.match("/files/a")).contains(Map.of());
            assertThat(p.match("/files/a/b/c.txt")).contains(Map.of());
            assertThat(p.match("/filesystem")).isEmpty();
            assertThat(p.match("/other/files")).isEmpty();
            assertThat(p.match("/")).isEmpty();
        }

        @Test
        void prefixWithVariablesBindsThem() {
            PathPattern p = PathPattern.parse("/t/{tenant}/**");
            assertThat(p.match("/t/acme/a/b")).contains(Map.of("tenant", "acme"));
            assertThat(p.match("/t/acme")).contains(Map.of("tenant", "acme"));
            assertThat(p.match("/t")).isEmpty();
        }

        @Test
        void rootPrefixMatchesEverything() {
            PathPattern p = PathPattern.parse("/**");
            assertThat(p.match("/")).contains(Map.of());
            assertThat(p.match("/anything/at/all")).contains(Map.of());
        }
    }

    @Nested
    class Shape {
        @Test
        void erasesVariableNames() {
            assertThat(PathPattern.parse("/orders/{id}").shape()).isEqualTo(PathPattern.parse("/orders/{oid}").shape());
        }

        @ParameterizedTest
        @CsvSource({
                "/orders/{id},          /orders/{id}/**",
                "/orders/{id},          /orders/id",
                "/files/**,             /files",
                "/files,                /files/",
                "/a/{x}/b,              /a/b/{x}",
        })
        void distinguishesPatternsThatMatchDifferentPaths(String a, String b) {
            assertThat(PathPattern.parse(a).shape()).isNotEqualTo(PathPattern.parse(b).shape());
        }

        @Test
        void rendersAReadableForm() {
            assertThat(PathPattern.parse("/t/{tenant}/files/**").shape()).isEqualTo("/t/{}/files/**");
            assertThat(PathPattern.parse("/").shape()).isEqualTo("/");
        }
    }

    @Nested
    class Specificity {
        @Test
        void ordersExactThenTemplatesThenPrefixesAndMoreLiteralsFirst() {
            List<String> expected = List.of(
                    "/files/special/deep",   // exact, 3 segments
                    "/files/special",        // exact, 2 segments
                    "/files/{id}/meta",      // template, 2 literals
                    "/files/{id}",           // template, 1 literal, 2 segments
                    "/{kind}/{id}",          // template, no literal
                    "/files/special/**",     // prefix, 2 literals
                    "/files/{id}/**",        // prefix, 1 literal, 2 segments
                    "/files/**",             // prefix, 1 literal, 1 segment
                    "/**");                  // catch-all last
            List<PathPattern> patterns = new ArrayList<>(expected.stream().map(PathPattern::parse).toList());
            Collections.shuffle(patterns, new Random(7));

            patterns.sort(PathPattern.MOST_SPECIFIC_FIRST);

            assertThat(patterns).map(PathPattern::toString).containsExactlyElementsOf(expected);
        }

        @Test
        void theFirstMatchingPatternInThatOrderIsTheMostSpecificOne() {
            List<PathPattern> patterns = new ArrayList<>(List.of(
                    PathPattern.parse("/files/**"), PathPattern.parse("/files/{id}"), PathPattern.parse("/files/latest")));
            patterns.sort(PathPattern.MOST_SPECIFIC_FIRST);

            assertThat(firstMatch(patterns, "/files/latest")).isEqualTo("/files/latest");
            assertThat(firstMatch(patterns, "/files/42")).isEqualTo("/files/{id}");
            assertThat(firstMatch(patterns, "/files/42/raw")).isEqualTo("/files/**");
        }

        private static String firstMatch(List<PathPattern> sorted, String path) {
            return sorted.stream().filter(p -> p.match(path).isPresent()).findFirst().map(PathPattern::toString).orElse(null);
        }
    }
}
