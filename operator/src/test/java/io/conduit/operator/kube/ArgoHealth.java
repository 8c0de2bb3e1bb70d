package io.conduit.operator.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * What Argo CD shows for a live object: the shipped health check (examples/gitops/health/conduit.io/&lt;Kind&gt;/health.lua)
 * run by a real Lua interpreter on the object as the API server returns it (Argo CD runs gopher-lua; the scripts
 * keep to Lua 5.1, which LuaJ implements).
 */
record ArgoHealth(String status, String message) {
    static final Path CHECKS = Installed.ROOT.resolve("examples/gitops/health/conduit.io");
    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    static ArgoHealth of(HasMetadata live) {
        Map<String, Object> object = JSON.convertValue(live, Map.class);
        try {
            String script = Files.readString(CHECKS.resolve(live.getKind()).resolve("health.lua"));
            var lua = JsePlatform.standardGlobals();
            lua.set("obj", lua(object));
            LuaValue health = lua.load(script, live.getKind() + "/health.lua").call();
            return new ArgoHealth(health.get("status").tojstring(), health.get("message").tojstring());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** JSON as Lua sees it in Argo CD: objects and arrays (1-based) are tables, nulls are absent. */
    private static LuaValue lua(Object value) {
        return switch (value) {
            case Map<?, ?> map -> {
                LuaTable table = new LuaTable();
                map.forEach((k, v) -> {
                    if (v != null) {
                        table.set(k.toString(), lua(v));
                    }
                });
                yield table;
            }
            case List<?> list -> {
                LuaTable table = new LuaTable();
                for (int i = 0; i < list.size(); i++) {
                    table.set(i + 1, lua(list.get(i)));
                }
                yield table;
            }
            case Number n -> LuaValue.valueOf(n.doubleValue());
            case Boolean b -> LuaValue.valueOf(b);
            default -> LuaValue.valueOf(value.toString());
        };
    }
}
