// The replay of the day's projector: the frames kept after each command, shown one after
// another at the chosen speed (×60: an hour in a minute). Read-only; no socket.
const slug = document.body.dataset.slug;
const stage = document.getElementById("projector-stage");
const timer = document.getElementById("projector-timer");
const slider = document.getElementById("replay-slider");
const where = document.getElementById("replay-where");
const play = document.getElementById("replay-play");
const speed = document.getElementById("replay-speed");
let frames = [];
let at = 0;
let playing = null;

function show(i) {
  at = Math.max(0, Math.min(frames.length - 1, i));
  const frame = frames[at];
  if (!frame) return;
  stage.innerHTML = frame.regions["projector-stage"] || "";
  timer.innerHTML = frame.regions["projector-timer"] || "";
  // A replay shows pictures, never plays the report video.
  for (const video of stage.querySelectorAll("video")) video.remove();
  for (const cover of stage.querySelectorAll(".video-cover")) cover.classList.remove("video-cover");
  slider.value = at;
  const time = new Date(frame.at * 1000).toLocaleTimeString("vi-VN");
  where.textContent = `Khung ${at + 1}/${frames.length} · ${time} · lệnh số ${frame.seq}${frame.type ? ` (${frame.type})` : ""}`;
}

function stop() {
  clearTimeout(playing);
  playing = null;
  play.textContent = "▶ Phát";
}

function step() {
  if (at >= frames.length - 1) { stop(); return; }
  const wait = (frames[at + 1].at - frames[at].at) * 1000 / Number(speed.value);
  playing = setTimeout(() => { show(at + 1); step(); }, Math.min(Math.max(wait, 50), 5000));
}

play.addEventListener("click", () => {
  if (playing) { stop(); return; }
  if (at >= frames.length - 1) show(0);
  play.textContent = "❚❚ Dừng";
  step();
});
document.getElementById("replay-prev").addEventListener("click", () => { stop(); show(at - 1); });
document.getElementById("replay-next").addEventListener("click", () => { stop(); show(at + 1); });
slider.addEventListener("input", () => { stop(); show(Number(slider.value)); });

const response = await fetch(`/api/e/${encodeURIComponent(slug)}/frames`);
if (response.ok) {
  frames = (await response.json()).frames;
  slider.max = Math.max(0, frames.length - 1);
  if (frames.length) show(0);
  else where.textContent = "Chưa có khung hình nào: màn chiếu được ghi lại sau mỗi lệnh.";
} else {
  where.textContent = "Không tải được nhật ký màn chiếu.";
}
