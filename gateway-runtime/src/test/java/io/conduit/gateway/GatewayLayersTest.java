package io.conduit.gateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The gateway's packages in layers (docs/design-notes.md, "Gateway packages"): a package uses the ones
 * below it, never one above, and no two packages import each other, however indirectly. A change that
 * breaks a layer fails here, naming the class and the import.
 */
@AnalyzeClasses(packages = "io.conduit.gateway", importOptions = ImportOption.DoNotIncludeTests.class)
class GatewayLayersTest {
    private static final String GW = "io.conduit.gateway";

    @ArchTest
    static final ArchRule no_package_imports_another_that_imports_it_back = slices()
            .matching(GW + ".(**)")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule each_layer_uses_only_the_layers_below_it = layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("Errors").definedBy(GW + ".errors..")
            .layer("Routing").definedBy(GW + ".routing..")
            .layer("Storage").definedBy(GW + ".storage..")
            .layer("Redis").definedBy(GW + ".redis..")
            .layer("Blob").definedBy(GW + ".blob..")
            .layer("Queue").definedBy(GW + ".queue..")
            .layer("Edge").definedBy(GW + ".edge..")
            .layer("Config").definedBy(GW + ".config..")
            .layer("Ingest").definedBy(GW + ".ingest..")
            .layer("WebSocket").definedBy(GW + ".ws..")
            .layer("Replay").definedBy(GW + ".replay..")
            .layer("Dispatch").definedBy(GW + ".dispatch..")
            .layer("Admin").definedBy(GW + ".admin..")
            .layer("Server").definedBy(GW)
            .whereLayer("Server").mayNotBeAccessedByAnyLayer()
            .whereLayer("Admin").mayOnlyBeAccessedByLayers("Server")
            .whereLayer("Dispatch").mayOnlyBeAccessedByLayers("Server")
            .whereLayer("Replay").mayOnlyBeAccessedByLayers("Dispatch", "Server")
            .whereLayer("WebSocket").mayOnlyBeAccessedByLayers("Dispatch")
            .whereLayer("Ingest").mayOnlyBeAccessedByLayers("WebSocket", "Dispatch")
            .whereLayer("Config").mayOnlyBeAccessedByLayers("Ingest", "WebSocket", "Dispatch", "Admin", "Server")
            .whereLayer("Edge").mayOnlyBeAccessedByLayers("Config", "Ingest", "WebSocket", "Replay", "Dispatch", "Admin",
                    "Server")
            .whereLayer("Queue").mayOnlyBeAccessedByLayers("Config", "Ingest", "WebSocket", "Server")
            .whereLayer("Blob").mayOnlyBeAccessedByLayers("Config", "Ingest", "Server")
            .whereLayer("Redis").mayOnlyBeAccessedByLayers("Queue", "Edge", "Config");

    @ArchTest
    static final ArchRule storage_never_depends_on_the_http_side = noClasses()
            .that().resideInAnyPackage(GW + ".blob..", GW + ".queue..", GW + ".redis..", GW + ".storage..",
                    GW + ".routing..", GW + ".errors..")
            .should().dependOnClassesThat().resideInAnyPackage(GW + ".edge..", GW + ".config..", GW + ".ingest..",
                    GW + ".ws..", GW + ".replay..", GW + ".dispatch..", GW + ".admin..");

    @ArchTest
    static final ArchRule stores_do_not_use_each_other = noClasses()
            .that().resideInAnyPackage(GW + ".queue..", GW + ".redis..")
            .should().dependOnClassesThat().resideInAnyPackage(GW + ".blob..");

    @ArchTest
    static final ArchRule blob_stores_never_use_their_mirror = noClasses()
            .that().resideInAnyPackage(GW + ".blob", GW + ".blob.s3..", GW + ".blob.local..")
            .should().dependOnClassesThat().resideInAnyPackage(GW + ".blob.mirror..");

    @ArchTest
    static final ArchRule store_neutral_interfaces_know_no_store = noClasses()
            .that().resideInAnyPackage(GW + ".queue", GW + ".blob")
            .should().dependOnClassesThat().resideInAnyPackage(GW + ".queue.*..", GW + ".blob.*..", GW + ".redis..");

    @ArchTest
    static final ArchRule edge_does_not_use_the_config_it_is_compiled_into = noClasses()
            .that().resideInAPackage(GW + ".edge..")
            .should().dependOnClassesThat().resideInAnyPackage(GW + ".config..", GW + ".queue..", GW + ".blob..");
}
