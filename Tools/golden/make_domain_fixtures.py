"""Reference values for the domain measures (Sources/TextTransferTraining/Transfer), in NumPy (numpy==2.4.6).
usage: make_domain_fixtures.py OUT_DIR      writes OUT_DIR/domain_measures.json:
  logme: features (60, 6), labels (3 classes), score — LogME as You et al.'s code computes it (thuml/LogME,
         LogME.fit_icml with each_evidence: SVD of FᵀF, at most 11 fixed-point rounds, 1% tolerance,
         epsilon 1e-5), written out here from the paper's algorithm.
  mmd:   source (20, 3), target (25, 3), bandwidth (the median of the pooled pairwise distances) and
         squared — Gretton et al.'s unbiased MMD² with k(x, y) = exp(-|x - y|² / (2σ²)).
  tca:   source (60, 3), target (60, 3), bandwidth, mu, components, embedding (120, 2) — exact TCA (Pan et al.
         2011): W the top eigenvectors of (KLK + μI)⁻¹KHK, the embedding KW (the source rows first)."""
import json, os, sys
import numpy as np


def logme_each_evidence(y, f, fh, v, s, vh, N, D):
    epsilon = 1e-5
    alpha, beta = 1.0, 1.0
    lam = alpha / beta
    tmp = vh @ (f @ y)
    for _ in range(11):
        gamma = (s / (s + lam)).sum()
        m = v @ (tmp * beta / (alpha + beta * s))
        alpha_de = (m * m).sum()
        alpha = gamma / (alpha_de + epsilon)
        beta_de = ((y - fh @ m) ** 2).sum()
        beta = (N - gamma) / (beta_de + epsilon)
        new_lam = alpha / beta
        if np.abs(new_lam - lam) / lam < 0.01:
            break
        lam = new_lam
    evidence = (D / 2.0 * np.log(alpha) + N / 2.0 * np.log(beta) - 0.5 * np.sum(np.log(alpha + beta * s))
                - beta / 2.0 * (beta_de + epsilon) - alpha / 2.0 * (alpha_de + epsilon) - N / 2.0 * np.log(2 * np.pi))
    return evidence / N


def logme(features, labels):
    fh = features.astype(np.float64)
    f = fh.transpose()
    D, N = f.shape
    v, s, vh = np.linalg.svd(f @ fh, full_matrices=True)
    return float(np.mean([logme_each_evidence((labels == k).astype(np.float64), f, fh, v, s, vh, N, D)
                          for k in range(labels.max() + 1)]))


def mmd(x, y):
    z = np.concatenate([x, y]).astype(np.float64)
    d2 = ((z[:, None, :] - z[None, :, :]) ** 2).sum(-1)
    iu = np.triu_indices(len(z), 1)
    sigma = float(np.median(np.sqrt(d2[iu])))
    k = np.exp(-d2 / (2 * sigma * sigma))
    m, n = len(x), len(y)
    kxx, kyy, kxy = k[:m, :m], k[m:, m:], k[:m, m:]
    squared = ((kxx.sum() - np.trace(kxx)) / (m * (m - 1)) + (kyy.sum() - np.trace(kyy)) / (n * (n - 1)) - 2 * kxy.mean())
    return sigma, float(squared)


def tca(x, y, sigma, mu, k):
    z = np.concatenate([x, y]).astype(np.float64)
    n, ns, nt = len(z), len(x), len(y)
    d2 = ((z[:, None, :] - z[None, :, :]) ** 2).sum(-1)
    kernel = np.exp(-d2 / (2 * sigma * sigma))
    e = np.concatenate([np.full(ns, 1.0 / ns), np.full(nt, -1.0 / nt)])
    lmat = np.outer(e, e)
    h = np.eye(n) - np.ones((n, n)) / n
    a = np.linalg.solve(kernel @ lmat @ kernel + mu * np.eye(n), kernel @ h @ kernel)
    values, vectors = np.linalg.eig(a)
    order = np.argsort(-values.real)[:k]
    return kernel @ vectors[:, order].real


def main():
    rng = np.random.default_rng(7)
    labels = np.arange(60) % 3
    centres = rng.normal(size=(3, 6))
    features = (centres[labels] + rng.normal(scale=1.5, size=(60, 6))).astype(np.float32)
    source = rng.normal(size=(20, 3)).astype(np.float32)
    target = (rng.normal(size=(25, 3)) + np.array([0.8, 0, -0.3])).astype(np.float32)
    sigma, squared = mmd(source, target)
    tca_source = rng.normal(size=(60, 3)).astype(np.float32)
    tca_target = (rng.normal(size=(60, 3)) * np.array([1.0, 0.5, 2.0]) + np.array([1.0, 0, 0])).astype(np.float32)
    out = {
        "logme": {"features": features.tolist(), "labels": labels.tolist(), "score": logme(features, labels)},
        "mmd": {"source": source.tolist(), "target": target.tolist(), "bandwidth": sigma, "squared": squared},
        "tca": {"source": tca_source.tolist(), "target": tca_target.tolist(), "bandwidth": 1.5, "mu": 1.0, "components": 2,
                "embedding": tca(tca_source, tca_target, 1.5, 1.0, 2).tolist()},
    }
    os.makedirs(sys.argv[1], exist_ok=True)
    with open(os.path.join(sys.argv[1], "domain_measures.json"), "w") as fh:
        json.dump(out, fh, indent=1)


if __name__ == "__main__":
    main()
