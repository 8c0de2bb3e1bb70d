-- Argo CD health of a Conduit RouteRule, for the current generation: Degraded when it is not Accepted
-- (invalid, conflicting), its references do not resolve, or it is left out of the config; Healthy once
-- Programmed (every ready pod of every attached gateway serves this generation); Progressing until then.
-- Programmed=False for these reasons is a rollout under way (pods not yet acknowledged, none ready), not a failure.
local rollout = {Pending = true, NoReadyReplicas = true}
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
local conditions = {}
for _, condition in ipairs(status.conditions) do
  if generation == nil or condition.observedGeneration == nil or condition.observedGeneration >= generation then
    conditions[condition.type] = condition
  end
end
local function describe(condition)
  if condition.message ~= nil and condition.message ~= "" then
    return condition.message
  end
  return condition.type .. " " .. condition.status .. (condition.reason and (": " .. condition.reason) or "")
end
for _, type in ipairs({"Accepted", "ResolvedRefs", "Programmed"}) do
  local condition = conditions[type]
  if condition ~= nil and condition.status == "False" and not (type == "Programmed" and rollout[condition.reason or ""]) then
    hs.status = "Degraded"
    hs.message = describe(condition)
    return hs
  end
end
local programmed = conditions["Programmed"]
if programmed == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for condition Programmed for generation " .. tostring(generation)
elseif programmed.status == "True" then
  hs.status = "Healthy"
  hs.message = describe(programmed)
else
  hs.status = "Progressing"
  hs.message = describe(programmed)
end
return hs
