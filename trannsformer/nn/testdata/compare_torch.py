#!/usr/bin/env python3
"""Times training of the reference MLP with PyTorch on the CPU, for
compare_torch.sh: 784-1200-1200-10, bias-free, ReLU everywhere, dropout 0.5
on hidden layers, half-MSE on one-hot targets, SGD lr 0.5 momentum 0.5,
batch 400, float32, random inputs (20% of pixels on) like mlpbench's.

Prints: torch samples_per_cpu_second=... samples_per_second=...
"""
import argparse, os, time
import torch

p = argparse.ArgumentParser()
p.add_argument("--threads", type=int, default=1)
p.add_argument("--samples", type=int, default=12000)
p.add_argument("--warmup", type=int, default=2000)
p.add_argument("--batch", type=int, default=400)
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(1)

n = a.samples + a.warmup
x = torch.rand(n, 784) * (torch.rand(n, 784) < 0.2).float()
y = torch.randint(0, 10, (n,))
t = torch.nn.functional.one_hot(y, 10).float()

model = torch.nn.Sequential(
    torch.nn.Linear(784, 1200, bias=False), torch.nn.ReLU(), torch.nn.Dropout(0.5),
    torch.nn.Linear(1200, 1200, bias=False), torch.nn.ReLU(), torch.nn.Dropout(0.5),
    torch.nn.Linear(1200, 10, bias=False), torch.nn.ReLU())
for m in model:
    if isinstance(m, torch.nn.Linear):
        torch.nn.init.uniform_(m.weight, -0.01, 0.01)
opt = torch.optim.SGD(model.parameters(), lr=0.5, momentum=0.5)
model.train()

def train(lo, hi):
    loss = None
    for s in range(lo, hi, a.batch):
        xb, tb = x[s:min(s + a.batch, hi)], t[s:min(s + a.batch, hi)]
        opt.zero_grad(set_to_none=True)
        out = model(xb)
        loss = 0.5 * ((out - tb) ** 2).sum(1).mean()
        loss.backward()
        opt.step()
    return loss

train(0, a.warmup)
c0, w0 = time.process_time(), time.perf_counter()
loss = train(a.warmup, n)
cpu, wall = time.process_time() - c0, time.perf_counter() - w0
print("torch samples_per_cpu_second=%.0f samples_per_second=%.0f samples=%d cpu_s=%.3f wall_s=%.3f threads=%d openblas_threads=%s loss=%.4f"
      % (a.samples / cpu, a.samples / wall, a.samples, cpu, wall, a.threads, os.environ.get("OPENBLAS_NUM_THREADS", "unset"), loss.item()))
