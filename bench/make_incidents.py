#!/usr/bin/env python3
"""Loads a large synthetic incident history into a migrated UngCuu database (stdlib only; psql for PostgreSQL).

Usage:
  make_incidents.py sqlite PATH/ungcuu.sqlite [CASES] [TIMELINE]
  make_incidents.py pg postgres://user@host:port/db [CASES] [TIMELINE]

Needs the agencies DV-1 … DV-40 with their systems (bench/incidents_scale.sh creates them through the
API and an inventory import) and the administrator bench@bench.vn. Adds a coordinator
(dieuphoi@bench.vn) and an agency officer of DV-1 (donvi@bench.vn) with the administrator's password,
20 responders, then CASES incidents (default 100,000) over the last three years with TIMELINE timeline
entries (default 1,000,000), about two observables per case, affected systems, assignees, reports sent
and the five legal clocks of each case (obligations, subject kind "incident"). Deterministic (seeded).
Search text is folded like SearchText.fold: đ→d, diacritics removed, lower-case, single spaces.
Prints what it wrote and the values the benchmark searches for.
"""
import datetime
import random
import subprocess
import sys
import time
import unicodedata
import uuid

NOW = time.time()
DAY = 86_400.0
RND = random.Random(2017)


def fold(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "d")
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return " ".join(text.lower().split())


def uid() -> str:
    return str(uuid.UUID(int=RND.getrandbits(128), version=4)).upper()


PHASES = ["detected", "triaged", "contained", "eradicated", "recovered", "post_incident_review"]
CATEGORIES = {
    "dos": ("Tấn công từ chối dịch vụ vào {sys}", "Lưu lượng bất thường từ nhiều địa chỉ IP nước ngoài làm {sys} không truy cập được trong {n} giờ."),
    "phishing": ("Thư điện tử giả mạo gửi tới cán bộ {ag}", "Nhiều cán bộ nhận thư giả mạo yêu cầu đăng nhập lại hộp thư công vụ; {n} tài khoản đã nhập mật khẩu."),
    "malware": ("Máy trạm nhiễm mã độc tại {ag}", "Phần mềm phòng chống mã độc cảnh báo {n} máy trạm kết nối tới máy chủ điều khiển lạ."),
    "unauthorised_access": ("Truy cập trái phép tài khoản quản trị {sys}", "Phát hiện đăng nhập tài khoản quản trị từ địa chỉ lạ ngoài giờ hành chính, {n} lần trong đêm."),
    "defacement": ("Cổng thông tin {ag} bị thay đổi giao diện", "Trang chủ hiển thị nội dung lạ do nhóm tin tặc đăng tải; phát hiện qua phản ánh của người dân lúc {n} giờ sáng."),
    "ransomware": ("Máy chủ {sys} bị mã hóa dữ liệu", "Mã độc tống tiền mã hóa tệp trên {n} máy chủ, để lại thư đòi tiền chuộc bằng tiền mã hóa."),
    "data_destruction": ("Mất dữ liệu trên {sys}", "Cơ sở dữ liệu bị xóa {n} bảng, chưa rõ nguyên nhân; bản sao lưu gần nhất cách đây hai ngày."),
    "data_theft": ("Lộ lọt dữ liệu cá nhân từ {sys}", "Phát hiện tệp dữ liệu của khoảng {n} nghìn công dân được rao bán trên diễn đàn."),
    "combined": ("Tấn công có chủ đích vào {sys}", "Chuỗi tấn công kết hợp thư giả mạo và khai thác lỗ hổng, {n} máy bị ảnh hưởng."),
    "other": ("Sự cố an toàn thông tin tại {ag}", "Đơn vị báo cáo hiện tượng bất thường trên hệ thống mạng nội bộ, {n} phòng ban bị ảnh hưởng."),
}
CATEGORY_CODES = list(CATEGORIES)
ACTIONS = ["Ngắt kết nối mạng máy bị ảnh hưởng, sao lưu nhật ký.", "Đổi mật khẩu các tài khoản liên quan, bật xác thực hai yếu tố.",
           "Tạm ngừng dịch vụ, chuyển trang bảo trì.", "Chặn địa chỉ IP nguồn trên tường lửa.", "Khôi phục dữ liệu từ bản sao lưu."]
NOTES = ["Đã xác định webshell trong thư mục tải lên; cô lập máy chủ khỏi mạng nội bộ.",
         "Kiểm tra nhật ký tường lửa, ghi nhận kết nối ra ngoài tới cổng 443 bất thường.",
         "Liên hệ nhà cung cấp dịch vụ trung tâm dữ liệu để lấy bản sao ổ đĩa.",
         "Cán bộ phụ trách đã được hướng dẫn đổi mật khẩu và rà soát hộp thư.",
         "Đã cập nhật bản vá cho máy chủ web và hệ quản trị cơ sở dữ liệu.",
         "Phân tích mẫu mã độc cho thấy họ Emotet, đã gửi mẫu cho Trung tâm giám sát.",
         "Đề nghị Công an tỉnh hỗ trợ truy vết địa chỉ IP nguồn.",
         "Đã khôi phục dịch vụ, tiếp tục theo dõi trong 48 giờ.",
         "Rà soát toàn bộ tài khoản quản trị, vô hiệu hóa 2 tài khoản không sử dụng.",
         "Họp đánh giá sau sự cố, bổ sung kịch bản ứng phó vào phương án."]
NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Minh Châu", "Phạm Thu Hà", "Hoàng Đức Dũng", "Vũ Thị Giang", "Đặng Quốc Huy",
         "Bùi Thanh Lâm", "Đỗ Thị Mai", "Ngô Văn Nam", "Dương Thị Oanh", "Lý Văn Phúc"]
CLOCKS = [("NOTIFICATION", "Thông báo sự cố", "Incident notification", "Thông tư 20/2017/TT-BTTTT"),
          ("INITIAL_REPORT", "Báo cáo ban đầu sự cố", "Initial incident report", "Thông tư 20/2017/TT-BTTTT"),
          ("FINAL_REPORT", "Báo cáo kết thúc ứng phó sự cố", "Final report on the response", "Thông tư 20/2017/TT-BTTTT"),
          ("PDP_BREACH_NOTICE", "Thông báo vi phạm quy định bảo vệ dữ liệu cá nhân", "Personal-data breach notice",
           "Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15; Nghị định 356/2025/NĐ-CP"),
          ("SERIOUS_ESCALATION", "Báo cáo sự cố nghiêm trọng", "Escalation of a serious incident", "Quyết định 05/2017/QĐ-TTg")]
HOT_IP = "185.220.101.45"


class Sink:
    """Writes rows to SQLite (REAL unix seconds, 0/1, upper-case UUID text) or to PostgreSQL with COPY."""

    def __init__(self, kind: str, target: str):
        self.kind, self.target = kind, target
        if kind == "sqlite":
            import sqlite3
            self.db = sqlite3.connect(target, isolation_level=None)
            self.db.execute("PRAGMA synchronous=OFF")
            self.db.execute("PRAGMA cache_size=-1000000")  # 1 GB: random UUID keys touch every index page
            self.db.execute("BEGIN")

    def query(self, sql: str) -> list:
        if self.kind == "sqlite":
            return [tuple("" if v is None else str(v) for v in r) for r in self.db.execute(sql).fetchall()]
        out = subprocess.run(["psql", "-X", "-q", "-At", "-F", "\t", self.target, "-c", sql], check=True, capture_output=True, text=True).stdout
        return [tuple(line.split("\t")) for line in out.splitlines() if line]

    def value(self, v):
        if self.kind == "sqlite":
            if isinstance(v, bool):
                return int(v)
            if isinstance(v, datetime.datetime):
                return v.timestamp()
            return v
        if v is None:
            return "\\N"
        if isinstance(v, bool):
            return "t" if v else "f"
        if isinstance(v, datetime.datetime):
            return v.isoformat()
        return str(v).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")

    def write(self, table: str, columns: list, rows) -> int:
        n = 0
        if self.kind == "sqlite":
            sql = f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES ({", ".join("?" * len(columns))})'
            batch = []
            for r in rows:
                batch.append(tuple(self.value(v) for v in r))
                if len(batch) == 20_000:
                    self.db.executemany(sql, batch); n += len(batch); batch = []
            self.db.executemany(sql, batch)
            return n + len(batch)
        proc = subprocess.Popen(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", self.target, "-c",
                                 f'\\copy "{table}" ({", ".join(columns)}) FROM STDIN'], stdin=subprocess.PIPE, text=True)
        buf = []
        for r in rows:
            buf.append("\t".join(self.value(v) for v in r))
            n += 1
            if len(buf) == 20_000:
                proc.stdin.write("\n".join(buf) + "\n"); buf = []
        if buf:
            proc.stdin.write("\n".join(buf) + "\n")
        proc.stdin.close()
        if proc.wait() != 0:
            sys.exit(f"COPY into {table} failed")
        return n

    def close(self):
        if self.kind == "sqlite":
            self.db.execute("COMMIT")
            self.db.execute("ANALYZE")
            self.db.close()
        else:
            subprocess.run(["psql", "-X", "-q", self.target, "-c", "ANALYZE"], check=True)


def ts(seconds: float) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(seconds, tz=datetime.timezone.utc)


def main() -> None:
    kind, target = sys.argv[1], sys.argv[2]
    cases = int(sys.argv[3]) if len(sys.argv) > 3 else 100_000
    timeline_total = int(sys.argv[4]) if len(sys.argv) > 4 else 1_000_000
    sink = Sink(kind, target)
    started = time.time()

    agencies = sink.query("SELECT id, code, name FROM agencies WHERE code LIKE 'DV-%' ORDER BY code")
    if len(agencies) < 2:
        sys.exit("expected the agencies DV-1 … DV-N")
    agency_ids = [a[0] for a in agencies]
    agency_name = {a[0]: a[2] for a in agencies}
    systems: dict = {a: [] for a in agency_ids}
    for sid, aid, name in sink.query("SELECT id, agency_id, name FROM information_systems"):
        systems.setdefault(aid, []).append((sid, name))
    admin = sink.query("SELECT password_hash FROM users WHERE email = 'bench@bench.vn'")
    if not admin:
        sys.exit("expected the administrator bench@bench.vn")
    pw = admin[0][0]
    dv1 = next(a[0] for a in agencies if a[1] == "DV-1")

    # People: a coordinator, an agency officer of DV-1, responders.
    user_cols = ["id", "email", "name", "phone", "role", "status", "agency_id", "password_hash", "must_change_password", "locale",
                 "totp_enabled", "created_at", "updated_at", "search_text"]
    people = [("dieuphoi@bench.vn", "Trần Thị Điều Phối", "coordinator", None), ("donvi@bench.vn", "Phạm Thu Hà", "agency_officer", dv1)]
    people += [(f"ungcuu{i}@bench.vn", NAMES[i % len(NAMES)] + f" {i}", "responder", None) for i in range(1, 21)]
    users = []
    for email, name, role, agency in people:
        users.append((uid(), email, name, "0912 000 000", role, "active", agency, pw, False, "vi", False, ts(NOW), ts(NOW),
                      fold(f"{name} {email} 0912 000 000")))
    sink.write("users", user_cols, users)
    responders = [(u[0], u[2]) for u in users if u[4] == "responder"]
    coordinator = users[0]

    # Cases over three years; the older, the likelier closed.
    inc_cols = ["id", "number", "agency_id", "title", "description", "category_code", "category_rule_version", "detected_at", "occurred_at",
                "reporter_id", "reporter_name", "contact_name", "contact_title", "contact_phone", "contact_email", "services_down",
                "services_note", "data_affected", "people_affected", "personal_data", "state_secret", "beyond_capability", "actions_taken",
                "support_requested", "impact_flags", "tlp", "severity", "serious_suggested", "serious_confirmed", "serious_confirmed_at",
                "serious_confirmed_by", "phase", "resolution", "merged_into_id", "triaged_at", "response_completed_at", "closed_at",
                "close_override_reason", "police_shared", "search_text", "version", "created_at", "updated_at"]
    detected = sorted(NOW - RND.random() * 3 * 365 * DAY for _ in range(cases))
    seq: dict = {}
    meta = []  # (id, agency, detected, phase, closed_at, tlp, severity, personal, beyond, serious, number)
    sample_number = None

    def incidents():
        nonlocal sample_number
        for n, det in enumerate(detected):
            i = uid()
            year = ts(det + 7 * 3600).year
            seq[year] = seq.get(year, 0) + 1
            number = f"SC-{year}-{seq[year]:04d}"
            agency = agency_ids[min(int(RND.paretovariate(1.2)) - 1, len(agency_ids) - 1)] if RND.random() < 0.3 else RND.choice(agency_ids)
            cat = RND.choice(CATEGORY_CODES)
            sysname = RND.choice(systems[agency])[1] if systems.get(agency) else "hệ thống thư điện tử"
            title_t, desc_t = CATEGORIES[cat]
            title = title_t.format(sys=sysname, ag=agency_name[agency])
            desc = desc_t.format(sys=sysname, ag=agency_name[agency], n=RND.randint(2, 40))
            age = (NOW - det) / DAY
            p_closed = 0.97 if age > 90 else 0.7 if age > 30 else 0.25
            phase = "closed" if RND.random() < p_closed else RND.choice(PHASES)
            triaged = det + RND.uniform(0.5, 30) * 3600 if phase != "detected" else None
            severity = None if phase == "detected" else RND.choices(["low", "medium", "high", "critical"], [40, 35, 20, 5])[0]
            completed = det + RND.uniform(1, 20) * DAY if phase in ("recovered", "post_incident_review", "closed") else None
            closed = completed + RND.uniform(1, 10) * DAY if phase == "closed" else None
            if closed and closed > NOW:
                closed = NOW - 60
            if completed and completed > NOW:
                completed = NOW - 3600
            personal = RND.random() < 0.15
            beyond = RND.random() < 0.1
            serious = severity == "critical" and RND.random() < 0.5
            tlp = RND.choices(["clear", "green", "amber", "amber_strict", "red"], [10, 30, 50, 5, 5])[0]
            reporter = NAMES[n % len(NAMES)]
            actions = RND.choice(ACTIONS)
            data_aff = "Dữ liệu hồ sơ công dân" if personal else None
            meta.append((i, agency, det, phase, closed, tlp, severity, personal, beyond, serious, number, triaged, completed))
            if n == cases // 3:
                sample_number = number
            search = fold(" ".join([number, title, desc, reporter, reporter, actions, data_aff or ""]))
            yield (i, number, agency, title, desc, cat, "2017.1", ts(det), ts(det - 3600), None, reporter, reporter,
                   "Chuyên viên phụ trách an toàn thông tin", "0912 345 678", None, cat in ("dos", "defacement", "ransomware"),
                   None, data_aff, RND.randint(100, 50_000) if personal else None, personal, False, beyond, actions, None,
                   "service_interruption" if cat in ("dos", "defacement") else "", tlp, severity, serious,
                   serious if severity else None, ts(triaged) if triaged else None, coordinator[0] if triaged else None, phase,
                   "resolved" if closed else None, None, ts(triaged) if triaged else None, ts(completed) if completed else None,
                   ts(closed) if closed else None, None, RND.random() < 0.03, search, 1 + (phase != "detected") * 3,
                   ts(det + 600), ts(closed or triaged or det + 600))

    counts = {"incidents": sink.write("incidents", inc_cols, incidents())}

    def systems_rows():
        for m in meta:
            options = systems.get(m[1]) or []
            for sid, _ in RND.sample(options, min(len(options), RND.choice([1, 1, 1, 2]))):
                yield (uid(), m[0], sid)
    counts["incident_systems"] = sink.write("incident_systems", ["id", "incident_id", "system_id"], systems_rows())

    def assignee_rows():
        for m in meta:
            if m[11]:
                yield (uid(), m[0], RND.choice(responders)[0], ts(m[11]))
    counts["incident_assignees"] = sink.write("incident_assignees", ["id", "incident_id", "user_id", "assigned_at"], assignee_rows())

    # Timeline: TIMELINE entries in all, 3 to ~17 a case, generated messages and free-text notes.
    per = [max(3, int(RND.gauss(timeline_total / cases, 3))) for _ in range(cases)]
    drift = timeline_total - sum(per)
    k = 0
    while drift:
        step = 1 if drift > 0 else -1
        if per[k % cases] + step >= 3:
            per[k % cases] += step
            drift -= step
        k += 1

    def timeline_rows():
        for m, count in zip(meta, per):
            i, det, phase, closed = m[0], m[2], m[3], m[4]
            end = closed or NOW
            who = RND.choice(responders)
            entries = [("reported", f"timeline.reported|{NAMES[0]}", "đã báo cáo sự cố.")]
            if m[11]:
                entries += [("triage", "timeline.accepted", "đã tiếp nhận sự cố."), ("severity", f"timeline.severity|{m[6]}", f"mức độ: {m[6]}."),
                            ("assignment", f"timeline.assigned|{who[1]}", f"phân công {who[1]}.")]
            while len(entries) < count:
                r = RND.random()
                if r < 0.55:
                    note = RND.choice(NOTES)
                    entries.append(("note", note, None))
                elif r < 0.75:
                    target = RND.choice(PHASES[1:] + ["closed"])
                    entries.append(("phase", f"timeline.phase|triaged|{target}", f"chuyển giai đoạn: {target}."))
                elif r < 0.9:
                    entries.append(("observable", "timeline.observable|ipv4", "thêm dấu hiệu ipv4."))
                else:
                    entries.append(("task", "timeline.taskDone|Cô lập máy chủ", "hoàn thành nhiệm vụ cô lập máy chủ."))
            span = max(end - det, 3600)
            for idx, (kind, body, text) in enumerate(entries[:count]):
                at = det + 600 + span * idx / count
                red = kind == "note" and RND.random() < 0.05
                tlp = "red" if red else "amber"
                named = who[0] if red else ""
                yield (uid(), i, ts(at), who[0], who[1], kind, body, tlp, named, fold(body if kind == "note" else f"{who[1]} {text}"))
    counts["incident_timeline"] = sink.write("incident_timeline", ["id", "incident_id", "at", "actor_id", "actor_label", "kind", "body", "tlp",
                                                                  "named_user_ids", "search_text"], timeline_rows())

    # Observables, about two a case; one address is seen in about 60 cases.
    hot = set(RND.sample(range(cases), 60))

    def observable_rows():
        for n, m in enumerate(meta):
            seen = set()
            for _ in range(RND.choice([1, 2, 2, 3])):
                t = RND.choice(["ipv4", "ipv4", "domain", "sha256", "url", "email"])
                v = {"ipv4": lambda: f"{RND.randint(11, 223)}.{RND.randint(0, 255)}.{RND.randint(0, 255)}.{RND.randint(1, 254)}",
                     "domain": lambda: f"update-{RND.getrandbits(24):06x}.example",
                     "sha256": lambda: f"{RND.getrandbits(256):064x}",
                     "url": lambda: f"https://login-{RND.getrandbits(20):05x}.example/verify",
                     "email": lambda: f"thongbao{RND.getrandbits(16)}@gia-mao.example"}[t]()
                if (t, v) in seen:
                    continue
                seen.add((t, v))
                yield (uid(), m[0], t, v, RND.choice(["green", "amber", "amber"]), "", None, True, None, ts(m[2] + 7200))
            if n in hot:
                yield (uid(), m[0], "ipv4", HOT_IP, "green", "", None, True, None, ts(m[2] + 7200))
    counts["incident_observables"] = sink.write("incident_observables", ["id", "incident_id", "type", "value", "tlp", "named_user_ids",
                                                                        "comment", "is_ioc", "created_by", "created_at"], observable_rows())

    # Reports sent and the five clocks of every case.
    sent: dict = {}

    def report_rows():
        for m in meta:
            i, det, closed, completed = m[0], m[2], m[4], m[12]
            kinds = []
            if RND.random() < (0.95 if closed else 0.6):
                kinds.append(("NOTIFICATION", det + RND.uniform(0.2, 7) * DAY))
            if closed:
                kinds.append(("FINAL_REPORT", completed + RND.uniform(0.5, 6) * DAY))
            for kind, at in kinds:
                at = min(at, NOW - 60)
                sent[(i, kind)] = at
                yield (uid(), i, kind, ts(at), "Sở Khoa học và Công nghệ; Công an tỉnh", "official_letter", None, None, None, "Phạm Thu Hà", ts(at))
    counts["incident_reports"] = sink.write("incident_reports", ["id", "incident_id", "kind", "sent_at", "recipients", "channel",
                                                                "document_number", "file_id", "recorded_by", "recorded_by_name",
                                                                "created_at"], report_rows())

    def obligation_rows():
        for m in meta:
            i, agency, det, phase, closed, severity, personal, beyond, serious, completed = m[0], m[1], m[2], m[3], m[4], m[6], m[7], m[8], m[9], m[12]
            for duty, vi, en, basis in CLOCKS:
                applies = {"NOTIFICATION": True, "INITIAL_REPORT": beyond, "FINAL_REPORT": completed is not None,
                           "PDP_BREACH_NOTICE": personal, "SERIOUS_ESCALATION": serious}[duty]
                start = {"FINAL_REPORT": completed}.get(duty, det)
                amount = {"PDP_BREACH_NOTICE": 3 * DAY, "SERIOUS_ESCALATION": DAY}.get(duty, 5 * DAY)
                due = start + amount if applies and start else None
                done = sent.get((i, duty))
                if not applies:
                    state, expl = "not_applicable", "Không áp dụng."
                elif done:
                    state, expl = "met", "Đã gửi."
                elif closed or due is None:
                    state, expl = "met", "Đã kết thúc."
                elif due < NOW:
                    state, expl = "overdue", "Quá hạn."
                elif due - NOW < DAY:
                    state, expl = "due_soon", "Sắp đến hạn."
                else:
                    state, expl = "met", "Trong hạn."
                yield (uid(), duty, "incident", i, agency, state, ts(due) if due else None, None, vi, en, expl, expl, basis,
                       "incidents.clocks", "2026.1", ts(NOW))
    counts["obligations"] = sink.write("obligations", ["id", "duty_id", "subject_kind", "subject_id", "agency_id", "state", "due_at", "evidence",
                                                       "title_vi", "title_en", "explanation_vi", "explanation_en", "basis", "rule_id",
                                                       "rule_version", "computed_at"], obligation_rows())
    sink.close()
    for table, n in counts.items():
        print(f"  {table:22s} {n:>10,d}")
    open_cases = sum(1 for m in meta if m[3] != "closed")
    print(f"  open cases {open_cases:,d}; DV-1 cases {sum(1 for m in meta if m[1] == dv1):,d}; loaded in {time.time() - started:.0f} s")
    print(f"SAMPLE_NUMBER={sample_number}")
    print(f"HOT_IP={HOT_IP}")


if __name__ == "__main__":
    main()
