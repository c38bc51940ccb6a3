-- Argo CD health check for schemagate.io/DatabaseMigration (installation: docs/gitops.md).
-- The operator reports kstatus conditions (Ready, Reconciling, Stalled) and
-- status.observedGeneration; this maps them the way kstatus reads them.
-- Argo CD runs a script from argocd-cm with the base and table libraries only (no string,
-- no math), so it builds messages with `..` alone.
local hs = {}

local function condition(conditionType)
  for _, c in ipairs(obj.status.conditions or {}) do
    if c.type == conditionType then
      return c
    end
  end
  return nil
end

local function isTrue(c)
  return c ~= nil and c.status == "True"
end

local function describe(c)
  return (c.reason or "") .. ": " .. (c.message or "")
end

-- A status written for an older spec says nothing about the current one: right after a sync
-- it would still show the previous run's Ready (or Stalled). Wait until the operator has seen
-- this generation. The API server sets metadata.generation on every custom resource.
local generation = obj.metadata.generation or 1
if obj.status == nil or obj.status.observedGeneration == nil
    or obj.status.observedGeneration < generation then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to observe generation " .. generation
  return hs
end

-- Stalled first: a failed script or an edited applied one will not fix itself, so Argo CD
-- should stop waiting and show why.
local stalled = condition("Stalled")
if isTrue(stalled) then
  hs.status = "Degraded"
  hs.message = describe(stalled)
  return hs
end

-- A run in progress, or a transient problem (missing Secret, unreachable database) that the
-- operator retries by itself: not a failure, keep waiting. A run waiting for a person to approve
-- its plan (spec.approval) is a deliberate pause, like a suspended one.
local reconciling = condition("Reconciling")
if isTrue(reconciling) and reconciling.reason == "AwaitingApproval" then
  hs.status = "Suspended"
  hs.message = reconciling.message
  return hs
end
if isTrue(reconciling) then
  hs.status = "Progressing"
  hs.message = describe(reconciling)
  return hs
end

local ready = condition("Ready")
if isTrue(ready) then
  hs.status = "Healthy"
  hs.message = ready.message
  return hs
end

-- Migrations are pending but spec.suspend keeps them from running: a deliberate pause.
if ready ~= nil and ready.reason == "Suspended" then
  hs.status = "Suspended"
  hs.message = ready.message
  return hs
end

-- No condition decides (e.g. conditions not written yet): not done, not failed.
hs.status = "Progressing"
if ready ~= nil then
  hs.message = describe(ready)
else
  hs.message = "Waiting for the operator to report conditions"
end
return hs
