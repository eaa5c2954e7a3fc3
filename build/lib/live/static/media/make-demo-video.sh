#!/usr/bin/env bash
# Tạo video mẫu (placeholder) cho phóng sự của Đài PT-TH tỉnh Hòa Bình.
# Kết quả: phong-su-demo.webm (VP9 + Opus, 1280x720, 25 fps, 45 giây) nằm cạnh script này.
# Yêu cầu: ffmpeg (libvpx-vp9, libopus, drawtext/libfreetype), fonts-dejavu-core.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="$HERE/phong-su-demo.webm"
FONT="/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
FONT_REG="/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
DUR=45

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# Vietnamese lines go through textfile= to avoid filtergraph escaping issues.
printf '%s' 'PHÓNG SỰ'                                            > "$TMP/l1.txt"
printf '%s' 'Tình hình quan hệ lao động, đời sống, việc làm'      > "$TMP/l2.txt"
printf '%s' 'của CNVCLĐ trên địa bàn tỉnh Hòa Bình'               > "$TMP/l3.txt"
printf '%s' 'Video mẫu — thay bằng phóng sự của Đài PT-TH tỉnh'   > "$TMP/l4.txt"

GOLD='0xF2C94C'

# Background: diagonal dark-red -> dark-blue gradient whose blend point drifts slowly
# (one full sway over the clip). Rendered small with geq, then scaled up smoothly.
P="clip((X/W+Y/H)/2*1.5-0.25+0.22*sin(2*PI*T/${DUR}),0,1)"
BG="color=c=black:s=160x90:r=25:d=${DUR},format=rgb24,\
geq=r='106*(1-${P})+11*${P}':g='16*(1-${P})+30*${P}':b='34*(1-${P})+74*${P}',\
scale=1280:720:flags=bicubic,vignette=angle=PI/5"

VF="${BG},format=yuv420p,\
drawbox=x=(iw-760)/2:y=300:w=760:h=3:color=${GOLD}@0.85:t=fill,\
drawtext=fontfile=${FONT}:textfile=$TMP/l1.txt:fontsize=84:fontcolor=${GOLD}:x=(w-text_w)/2:y=190:shadowcolor=black@0.6:shadowx=3:shadowy=3,\
drawtext=fontfile=${FONT}:textfile=$TMP/l2.txt:fontsize=42:fontcolor=white:x=(w-text_w)/2:y=340:shadowcolor=black@0.6:shadowx=2:shadowy=2,\
drawtext=fontfile=${FONT}:textfile=$TMP/l3.txt:fontsize=42:fontcolor=white:x=(w-text_w)/2:y=406:shadowcolor=black@0.6:shadowx=2:shadowy=2,\
drawtext=fontfile=${FONT_REG}:textfile=$TMP/l4.txt:fontsize=28:fontcolor=white@0.75:x=(w-text_w)/2:y=530,\
drawtext=fontfile=${FONT}:text='%{pts\:hms}':fontsize=30:fontcolor=${GOLD}:x=w-text_w-40:y=h-text_h-36:box=1:boxcolor=black@0.45:boxborderw=10,\
fade=t=in:st=0:d=1,fade=t=out:st=$((DUR-1)):d=1[v]"

AF="[0:a]volume=0.4,tremolo=f=0.25:d=0.5,afade=t=in:st=0:d=2,afade=t=out:st=$((DUR-2)):d=2[a]"

ffmpeg -hide_banner -loglevel warning -y \
  -f lavfi -i "sine=frequency=220:sample_rate=48000:duration=${DUR}" \
  -filter_complex "${VF};${AF}" \
  -map '[v]' -map '[a]' \
  -c:v libvpx-vp9 -b:v 170k -crf 42 -row-mt 1 -deadline good -cpu-used 2 -g 125 -pix_fmt yuv420p \
  -c:a libopus -b:a 32k -ac 1 \
  -t "${DUR}" -shortest \
  "$OUT"

echo "Wrote $OUT ($(stat -c %s "$OUT") bytes)"
