-- When an app-bot delivery attempt got no answer (a timeout, a 5xx), Feishu may have posted it.
-- Its uuid drops repeats for one hour only: past that, a retry could post twice, so the worker
-- stops and shows the delivery as ambiguous to admins instead. The first such attempt's time:
ALTER TABLE outbox ADD COLUMN ambiguous_at TIMESTAMPTZ;
