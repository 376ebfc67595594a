"""The transfer kernel's questions asked of a NumPy replica, on the tuning slices of
Scripts/transfer-kernel-tuning.sh (never on the reported sets): the Nyström RBF kernel (1,000 landmarks, half
from each domain, median-distance bandwidth), Nyström TCA in the form TransferComponentAnalysis uses, and
scikit-learn's logistic regression on [φ, φP] (k + k_TCA) as TransferKernelClassifier fits it.

  jda      TCA with the class-conditional MMD of JDA (Long et al., ICCV 2013), target pseudo-labels refreshed
           5 times: does matching the classes too add anything?
  self     self-training: the classifier refitted on the source plus its most confident target labels
  c        the logistic regressions' C: how much of k + TCA's gain over the kernel alone is regularization?
  cselect  C chosen on held-out source rows (no target labels), each kernel its own
  center   each domain's features less its own mean (the target's from its unlabelled texts), then the
           kernel: first-order alignment alone (CORAL without the covariances), with and without L2 norm after
  rvcenter reverse validation (as TransferKernelClassifier runs it) choosing among no adaptation, k + TCA
           (μ × components), and both again on each domain centred on its own mean: does it pick centring
           where it helps and leave it where it hurts?

  usage: python3 Scripts/transfer-kernel-numpy-checks.py DIR {jda,self,c,cselect,center,rvcenter}
DIR holds imdbA, imdbB, sstT, sstTune as NAME.npy (`text-transfer embed --format npy` of the slice's texts,
the model's defaults) and NAME.labels (the slice's label column). numpy, scipy and scikit-learn 1.x.
"""
import sys
import numpy as np
from scipy.linalg import eigh
from sklearn.linear_model import LogisticRegression

directory, check = sys.argv[1], sys.argv[2]


def load(name):
    x = np.load(f"{directory}/{name}.npy").astype(np.float64)
    y = np.array([line.strip() for line in open(f"{directory}/{name}.labels", encoding="utf-8")])
    return x, y


def nystrom(source, target, m=1000, seed=0):
    r = np.random.default_rng(seed)
    landmarks = np.vstack([source[r.choice(len(source), m // 2, replace=False)], target[r.choice(len(target), m - m // 2, replace=False)]])
    d = ((landmarks[:, None, :] - landmarks[None, :, :]) ** 2).sum(-1)
    sigma = np.sqrt(np.median(d[np.triu_indices(m, 1)]))
    gamma = 1 / (2 * sigma * sigma)
    w, v = eigh(np.exp(-gamma * d))
    whitening = (v * np.where(w > 1e-10 * w[-1], 1 / np.sqrt(np.maximum(w, 1e-300)), 0)) @ v.T

    def features(x):
        squared = (x * x).sum(1)[:, None] + (landmarks * landmarks).sum(1)[None, :] - 2 * x @ landmarks.T
        return np.exp(-gamma * np.maximum(squared, 0)) @ whitening
    return features


def tca(ps, pt, mu, k, ys=None, yt=None):
    """G A for max tr(Aᵀ G S G A) s.t. Aᵀ(G M G + μG)A = I; M = Σ δδᵀ over the domains' mean difference and,
    with labels, each class's (JDA)."""
    g = ps.T @ ps + pt.T @ pt
    n = len(ps) + len(pt)
    mean = (ps.sum(0) + pt.sum(0)) / n
    s = g - n * np.outer(mean, mean)
    deltas = [ps.mean(0) - pt.mean(0)]
    if yt is not None:
        for c in sorted(set(ys)):
            a, b = ps[ys == c], pt[yt == c]
            if len(a) and len(b):
                deltas.append(a.mean(0) - b.mean(0))
    b = mu * g
    for delta in deltas:
        gd = g @ delta
        b += np.outer(gd, gd)
    b += 1e-9 * np.trace(b) / len(b) * np.eye(len(b))
    w, v = eigh(b)
    inverse_root = (v * np.where(w > 0, 1 / np.sqrt(np.maximum(w, 1e-300)), 0)) @ v.T
    _, vectors = eigh(inverse_root @ (g @ s @ g) @ inverse_root)
    return g @ (inverse_root @ vectors[:, ::-1][:, :k])


def fit(x, y, c=1.0):
    return LogisticRegression(C=c, max_iter=3000).fit(x, y)


def accuracy(model, x, y):
    return (model.predict(x) == y).mean()


def run(source, target, dev, label, seed=0):
    xs, ys = load(source)
    xt, yt_gold = load(target)
    xd, yd = load(dev)
    phi = nystrom(xs, xt, seed=seed)
    ps, pt, pd = phi(xs), phi(xt), phi(xd)
    line = [f"{label} seed {seed}"]
    if check == "jda":
        line.append(f"kernel {accuracy(fit(ps, ys), pd, yd):.4f}")
        for mu, k in [(1, 16), (1, 64), (10, 16), (10, 64)]:
            p = tca(ps, pt, mu, k)
            model = fit(np.hstack([ps, ps @ p]), ys)
            scores = [accuracy(model, np.hstack([pd, pd @ p]), yd)]
            for _ in range(5):
                pseudo = model.predict(np.hstack([pt, pt @ p]))
                p = tca(ps, pt, mu, k, ys, pseudo)
                model = fit(np.hstack([ps, ps @ p]), ys)
                scores.append(accuracy(model, np.hstack([pd, pd @ p]), yd))
            line.append(f"μ {mu} k {k}: TCA {scores[0]:.4f}, JDA rounds " + " ".join(f"{a:.4f}" for a in scores[1:]))
    elif check == "self":
        for name, (a, b, c) in {"kernel": (ps, pt, pd), "raw features": (xs, xt, xd)}.items():
            scores = [f"{name}: none {accuracy(fit(a, ys), c, yd):.4f}"]
            for share in [0.2, 0.5, 1.0]:
                model = fit(a, ys)
                for _ in range(3):
                    p = model.predict_proba(b)
                    pseudo, confidence = model.classes_[p.argmax(1)], p.max(1)
                    keep = np.zeros(len(b), bool)
                    for cls in model.classes_:
                        idx = np.where(pseudo == cls)[0]
                        keep[idx[np.argsort(-confidence[idx])][: int(share * len(idx))]] = True
                    model = fit(np.vstack([a, b[keep]]), np.concatenate([ys, pseudo[keep]]))
                scores.append(f"top {share:.0%} {accuracy(model, c, yd):.4f}")
            line.append(", ".join(scores))
    elif check == "c":
        p = tca(ps, pt, 10, 64)
        for c in [1, 10, 100]:
            line.append(f"C {c}: kernel {accuracy(fit(ps, ys, c), pd, yd):.4f}, k + TCA (μ 10, k 64) "
                        f"{accuracy(fit(np.hstack([ps, ps @ p]), ys, c), np.hstack([pd, pd @ p]), yd):.4f}")
    elif check == "cselect":
        order = np.random.default_rng(seed).permutation(len(xs))
        held, rest = order[: len(order) // 5], order[len(order) // 5:]

        def chosen(a, d):
            cs = [0.3, 1, 3, 10, 30]
            scores = [accuracy(fit(a[rest], ys[rest], c), a[held], ys[held]) for c in cs]
            c = cs[int(np.argmax(scores))]
            return f"C {c} {accuracy(fit(a, ys, c), d, yd):.4f}"
        line.append("kernel " + chosen(ps, pd))
        for mu, k in [(1, 16), (1, 64), (10, 16), (10, 64)]:
            p = tca(ps, pt, mu, k)
            line.append(f"μ {mu} k {k} " + chosen(np.hstack([ps, ps @ p]), np.hstack([pd, pd @ p])))
    elif check == "center":
        def centered(normalize):
            ms, mt = xs.mean(0), xt.mean(0)
            a, b, d = xs - ms, xt - mt, xd - mt
            if normalize:
                a, b, d = (m / np.linalg.norm(m, axis=1, keepdims=True) for m in (a, b, d))
            return a, b, d
        line.append(f"LR raw {accuracy(fit(xs, ys), xd, yd):.4f}, kernel raw {accuracy(fit(ps, ys), pd, yd):.4f}")
        for normalize in (False, True):
            a, b, d = centered(normalize)
            f = nystrom(a, b, seed=seed)
            qa, qb, qd = f(a), f(b), f(d)
            p = tca(qa, qb, 10, 64)
            line.append(f"centered{' + L2' if normalize else ''}: LR {accuracy(fit(a, ys), d, yd):.4f}, kernel {accuracy(fit(qa, ys), qd, yd):.4f}, "
                        f"k + TCA (μ 10, k 64) {accuracy(fit(np.hstack([qa, qa @ p]), ys), np.hstack([qd, qd @ p]), yd):.4f}")
    elif check == "rvcenter":
        r = np.random.default_rng(seed)
        order = r.permutation(len(xs))[:10000]
        held, rest = order[: len(order) // 5], order[len(order) // 5:]
        sample = xt if len(xt) <= 10000 else xt[r.permutation(len(xt))[:10000]]

        def reverse_validation(transform_source, transform_target):
            forward = fit(transform_source(xs[rest]), ys[rest])
            zt = transform_target(sample)
            pseudo = forward.predict(zt)
            if len(set(pseudo)) < 2:
                return 0.0
            return accuracy(fit(zt, pseudo), transform_source(xs[held]), ys[held])

        ms, mt = xs.mean(0), xt.mean(0)
        centered_phi = nystrom(xs - ms, xt - mt, seed=seed)
        results = []  # (name, reverse-validation accuracy, dev accuracy)
        for name, shift_s, shift_t, f in (("none", 0, 0, phi), ("centred", ms, mt, centered_phi)):
            qs, qt = f(xs - shift_s), f(xt - shift_t)
            src = lambda x, f=f, m=shift_s: f(x - m)
            tgt = lambda x, f=f, m=shift_t: f(x - m)
            results.append((f"{name} kernel", reverse_validation(src, tgt), accuracy(fit(qs, ys), tgt(xd), yd)))
            for mu in [0.1, 1, 10]:
                for k in [16, 64]:
                    p = tca(qs, qt, mu, k)
                    src_p = lambda x, src=src, p=p: (lambda q: np.hstack([q, q @ p]))(src(x))
                    tgt_p = lambda x, tgt=tgt, p=p: (lambda q: np.hstack([q, q @ p]))(tgt(x))
                    results.append((f"{name} μ {mu} k {k}", reverse_validation(src_p, tgt_p), accuracy(fit(src_p(xs), ys), tgt_p(xd), yd)))
        chosen = max(range(len(results)), key=lambda i: (results[i][1], -i))
        line.append(f"unadapted {results[0][2]:.4f}; chosen {results[chosen][0]} (RV {results[chosen][1]:.4f}) {results[chosen][2]:.4f}; "
                    + ", ".join(f"{n} RV {v:.4f} dev {a:.4f}" for n, v, a in results))
    print(" | ".join(line), flush=True)


for s in ([0] if check in ("jda", "self") else [0, 1]):
    run("imdbA", "sstT", "sstTune", "IMDB → SST-2", s)
    run("sstT", "imdbA", "imdbB", "SST-2 → IMDB", s)
