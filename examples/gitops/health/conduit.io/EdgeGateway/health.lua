-- Argo CD health of a Conduit EdgeGateway: its Ready condition, for the current generation.
-- Reasons for which Ready=False means "not yet" (pods starting, a config push under way), not a failure.
local waiting = {NoReadyReplicas = true, ConfigPending = true}
local hs = {}
local generation = obj.metadata.generation
local status = obj.status
if status == nil or status.conditions == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the Conduit operator to report status"
  return hs
end
if generation ~= nil and (status.observedGeneration == nil or status.observedGeneration < generation) then
  hs.status = "Progressing"
  hs.message = "Waiting for the Conduit operator to observe generation " .. generation
  return hs
end
local ready = nil
local synced = nil
for _, condition in ipairs(status.conditions) do
  if condition.type == "Ready" then
    ready = condition
  elseif condition.type == "ConfigSynced" then
    synced = condition
  end
end
if ready == nil or (generation ~= nil and ready.observedGeneration ~= nil and ready.observedGeneration < generation) then
  hs.status = "Progressing"
  hs.message = "Waiting for condition Ready for generation " .. tostring(generation)
  return hs
end
-- A pod that refuses the config is a failure even while the others serve it (the operator retries the push).
if synced ~= nil and synced.status == "False" and synced.reason == "PushFailed" then
  hs.status = "Degraded"
  hs.message = synced.message
  return hs
end
local message = ready.message
if message == nil or message == "" then
  message = "Ready " .. ready.status .. (ready.reason and (": " .. ready.reason) or "")
end
hs.message = message
if ready.status == "True" then
  hs.status = "Healthy"
elseif ready.status == "False" and not waiting[ready.reason or ""] then
  hs.status = "Degraded"
else
  hs.status = "Progressing"
end
return hs
